using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.EventSourcing;

namespace Arbitration.Service.Features.OpenCaseFromRepairEscalation;

/// <summary>
/// No provider repaired in time and the platform guarantees the service (兜底): a case opens that the
/// platform's repair operations answer.
/// </summary>
public sealed class RepairJobEscalatedConsumer(EventStore store, CaseOpening opening, ArbitrationMetrics metrics, TimeProvider clock) : IConsumer<RepairJobEscalated>
{
    public async Task Consume(ConsumeContext<RepairJobEscalated> context)
    {
        var ct = context.CancellationToken;
        var escalated = context.Message;
        await using var session = await store.OpenSession(context, "arbitration-repair-job-escalated", ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var open = new CaseCommand.OpenCase(
            CaseIds.ForRepairJob(escalated.JobId),
            escalated.OrderId,
            escalated.LineId,
            escalated.BuyerId,
            new Arbitration.Domain.CaseOrigin.RepairJobEscalated(escalated.JobId, escalated.ClaimId, escalated.CaseId),
            new DisputedItem(escalated.ShippingRegion, escalated.Sku, escalated.Title, escalated.Category, escalated.Brand, escalated.FaultDescription),
            clock.GetUtcNow());
        var outcome = await opening.Open(session, open, statement: null, ct);
        if (outcome is OpeningOutcome.Refused { Refusal: var refusal })
        {
            session.RecordRefusal(escalated, refusal.Code.ToString(), refusal.Reason);
        }
        if (await session.Commit(ct) == CommitResult.Committed && outcome is OpeningOutcome.Opened { Change: var change })
        {
            metrics.Record(change);
        }
    }
}
