using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Features.OpenCaseFromRepairEscalation;

/// <summary>
/// No provider repaired in time and the platform guarantees the service (兜底): a case opens that the
/// platform's repair operations answer.
/// </summary>
public sealed class RepairJobEscalatedConsumer(MessagePipeline pipeline, CaseOpening opening, TimeProvider clock) : IConsumer<RepairJobEscalated>
{
    /// <summary>The inbox key of these messages, fixed so that a class rename does not apply consumed ones again.</summary>
    public const string Name = "arbitration-repair-job-escalated";

    public Task Consume(ConsumeContext<RepairJobEscalated> context) =>
        pipeline.Consume(context, Name, async (work, escalated, ct) =>
        {
            var open = new CaseCommand.OpenCase(
                CaseIds.ForRepairJob(escalated.JobId),
                escalated.OrderId,
                escalated.LineId,
                escalated.BuyerId,
                new Arbitration.Domain.CaseOrigin.RepairJobEscalated(escalated.JobId, escalated.ClaimId, escalated.CaseId),
                new DisputedItem(escalated.ShippingRegion, escalated.Sku, escalated.Title, escalated.Category, escalated.Brand, escalated.FaultDescription),
                clock.GetUtcNow());
            return await opening.Open(work, open, statement: null, ct) is OpeningOutcome.Refused { Refusal: var refusal } ? refusal : null;
        });
}
