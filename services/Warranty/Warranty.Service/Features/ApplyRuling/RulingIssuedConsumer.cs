using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Warranty.Domain;

using static Warranty.Service.ContractVocabulary;

namespace Warranty.Service.Features.ApplyRuling;

/// <summary>
/// An arbitrator's ruling is final: it resolves the claim it is about (approving a rejected one when it goes
/// for the buyer) and reopens the entry when it orders that. A refund it orders is the line's price, which this
/// service knows, so it instructs the refund here, at the respondent's cost; compensation (an amount the ruling
/// names) is instructed by Arbitration, and a repair at the platform's cost is RepairDispatch's.
/// </summary>
public sealed class RulingIssuedConsumer(MessagePipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy)
    : IConsumer<RulingIssued>
{
    public const string Name = "warranty-ruling-issued";

    public Task Consume(ConsumeContext<RulingIssued> context) =>
        pipeline.Consume(context, Name, async (work, ruling, ct) =>
        {
            if (Problem(ruling) is { } problem)
            {
                return new Refusal(InvalidMessage, problem);
            }
            if (ruling.ClaimId is { } claimId
                && await ClaimIndex.Find(work.Session, claimId, ct) != new ClaimLocation(ruling.OrderId, ruling.LineId))
            {
                return Refusal.Of(WarrantyRefusalCode.UnknownClaim, $"No claim {claimId} on order {ruling.OrderId} line {ruling.LineId}.");
            }
            var command = new WarrantyFileCommand.ApplyRuling(ruling.CaseId.ToString(), ruling.ClaimId, Decision(ruling), ruling.RuledAt,
                ruling.ReopenRequestId, ruling.Respondent == RespondentKind.PlatformRepairOperations ? Payer.Platform : Payer.Merchant);
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(ruling.OrderId, ruling.LineId),
                file => WarrantyFileDecider.Decide(command, file.State, policy), ct);
            return handled.Refusal;
        });

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
        if (!Enum.IsDefined(ruling.Respondent))
            problems.Add($"respondent {ruling.Respondent} is not a respondent");
        if (!Enum.IsDefined(ruling.InFavourOf))
            problems.Add($"inFavourOf {ruling.InFavourOf} is not a party");
        if (ruling.InFavourOf == CaseParty.Buyer && (ruling.Remedy is not { } remedy || !Enum.IsDefined(remedy)))
            problems.Add("a ruling for the buyer names no remedy it orders");
        return problems.Count == 0 ? null : "RulingIssued refused: " + string.Join("; ", problems) + ".";
    }
}
