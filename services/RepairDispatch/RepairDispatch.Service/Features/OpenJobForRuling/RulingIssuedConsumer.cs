using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Jobs;

namespace RepairDispatch.Service.Features.OpenJobForRuling;

/// <summary>A final ruling that orders a repair at the platform's cost opens a job the platform pays for.</summary>
public sealed class RulingIssuedConsumer(EventStore store, RepairJobWorkflow jobs) : IConsumer<RulingIssued>
{
    public const string Consumer = "repairdispatch-ruling-issued";

    public async Task Consume(ConsumeContext<RulingIssued> context)
    {
        var ruling = context.Message;
        if (ruling.InFavourOf != CaseParty.Buyer || ruling.Remedy != RulingRemedy.RepairAtPlatformCost)
        {
            return;
        }

        var ct = context.CancellationToken;
        await using var session = await store.OpenSession(context, Consumer, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var request = new RepairRequest(ruling.OrderId, ruling.LineId, ruling.BuyerId, ruling.ShippingRegion, ruling.Category, ruling.Brand,
            ruling.Sku, ruling.Title, ruling.FaultDescription);
        if (RepairRequests.Missing(request, ruling.CaseId) is { } missing)
        {
            session.RecordRefusal(ruling, "IncompleteRuling", $"The ruling has no {missing}; a provider cannot be chosen or briefed without it.");
            await session.Commit(ct);
            return;
        }

        // A ruling on an escalated job opens a new job rather than reviving the old one: the old one
        // has used its attempts, and the platform now pays.
        var jobId = NameBasedIds.JobForRuling(ruling.CaseId);
        var outcome = await jobs.Run(session, jobId, request,
            job => new RepairJobCommand.OpenForRuling(jobId, ruling.CaseId, request, job.Providers, job.Now), ct);
        if (outcome.Refusal is { } refusal)
        {
            session.RecordRefusal(ruling, refusal.Code.ToString(), refusal.Reason);
        }
        await jobs.Commit(session, outcome, ct);
    }
}
