using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.EventSourcing;
using Warranty.Domain;
using Warranty.Service.ReadModels;

namespace Warranty.Service.Features.ApplyRuling;

/// <summary>
/// An arbitrator's ruling is final: it resolves the claim it is about (approving a rejected one when it goes
/// for the buyer) and reopens the entry when it orders that. Refunds, compensation and repairs at the
/// platform's cost are carried out by the services that own the money and the repairs.
/// </summary>
public sealed class RulingIssuedConsumer(EventStore store, WarrantyPolicy policy, WarrantyMetrics metrics, ILogger<RulingIssuedConsumer> logger)
    : IConsumer<RulingIssued>
{
    public const string Name = "warranty-ruling-issued";

    public async Task Consume(ConsumeContext<RulingIssued> context)
    {
        var ct = context.CancellationToken;
        var ruling = context.Message;
        await using var session = await store.OpenSession(context, Name, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }

        IReadOnlyList<WarrantyFileEvent> events = [];
        if (Problem(ruling) is { } problem)
        {
            session.Refuse(logger, ruling, RefusalCodes.InvalidMessage, problem);
        }
        else if (ruling.ClaimId is { } claimId
                 && await ClaimIndex.Find(session, claimId, ct) != new ClaimLocation(ruling.OrderId, ruling.LineId))
        {
            session.Refuse(logger, ruling, RefusalCodes.UnknownClaim, $"No claim {claimId} on order {ruling.OrderId} line {ruling.LineId}.");
        }
        else
        {
            var file = await WarrantyFiles.Load(session, ruling.OrderId, ruling.LineId, ct);
            var command = new WarrantyFileCommand.ApplyRuling(ruling.CaseId.ToString(), ruling.ClaimId, Decision(ruling), ruling.RuledAt);
            events = session.DecideOrRefuse(logger, ruling, command, file.State, policy);
            await session.Record(file, events, ct);
        }

        if (await session.Commit(ct) == CommitResult.Committed)
        {
            metrics.Count(events);
        }
    }

    private static RulingDecision Decision(RulingIssued ruling) => ruling.InFavourOf == CaseParty.Respondent
        ? RulingDecision.ForRespondent
        : ruling.Remedy switch
        {
            RulingRemedy.Refund => RulingDecision.Refund,
            RulingRemedy.Replacement => RulingDecision.Replacement,
            RulingRemedy.RepairAtPlatformCost => RulingDecision.Repair,
            RulingRemedy.ReopenEntry => RulingDecision.ReopenEntry,
            RulingRemedy.Compensation => RulingDecision.Compensation,
            _ => throw new ArgumentOutOfRangeException(nameof(ruling), ruling.Remedy, "Checked by Problem."),
        };

    private static string? Problem(RulingIssued ruling)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ruling.OrderId))
            problems.Add("orderId is missing");
        if (string.IsNullOrWhiteSpace(ruling.LineId))
            problems.Add("lineId is missing");
        if (!Enum.IsDefined(ruling.InFavourOf))
            problems.Add($"inFavourOf {ruling.InFavourOf} is not a party");
        if (ruling.InFavourOf == CaseParty.Buyer && (ruling.Remedy is not { } remedy || !Enum.IsDefined(remedy)))
            problems.Add("a ruling for the buyer names no remedy it orders");
        return problems.Count == 0 ? null : "RulingIssued refused: " + string.Join("; ", problems) + ".";
    }
}
