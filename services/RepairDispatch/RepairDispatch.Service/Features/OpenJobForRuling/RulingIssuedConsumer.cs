using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.OpenJobForRuling;

/// <summary>A final ruling that orders a repair at the platform's cost opens a job the platform pays for.</summary>
public sealed class RulingIssuedConsumer(MessagePipeline pipeline, RepairJobStream jobs) : IConsumer<RulingIssued>
{
    public const string Consumer = "repairdispatch-ruling-issued";

    public Task Consume(ConsumeContext<RulingIssued> context)
    {
        if (context.Message is not { InFavourOf: CaseParty.Buyer, Remedy: RulingRemedy.RepairAtPlatformCost })
        {
            return Task.CompletedTask;
        }
        return pipeline.Consume(context, Consumer, async (work, ruling, ct) =>
        {
            var request = new RepairRequest(ruling.OrderId, ruling.LineId, ruling.BuyerId, ruling.ShippingRegion, ruling.Category, ruling.Brand,
                ruling.Sku, ruling.Title, ruling.FaultDescription);
            if (RepairRequests.Missing(request, ruling.CaseId) is { } missing)
            {
                return Refusal.Of(RepairDispatchRefusalCode.IncompleteRuling, $"The ruling has no {missing}; a provider cannot be chosen or briefed without it.");
            }
            // A ruling on an escalated job opens a new job rather than reviving the old one: the old one
            // has used its attempts, and the platform now pays.
            var jobId = NameBasedIds.JobForRuling(ruling.CaseId);
            return (await jobs.Open(work, jobId, request, context.GetRetryAttempt() > 0,
                job => new RepairJobCommand.OpenForRuling(jobId, ruling.CaseId, request, job.Providers, job.Now), ct)).Refusal;
        });
    }
}
