using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.CallbackDeadline;

/// <summary>
/// The callback deadline of one attempt: if that attempt is still current and the buyer was not
/// called, the breach is recorded and the job moves to the next provider or to the platform. One that
/// arrives before the deadline by this service's clock is scheduled again for the deadline.
/// </summary>
public sealed class ProviderCallbackDeadlineConsumer(MessagePipeline pipeline, RepairJobStream jobs) : IConsumer<ProviderCallbackDeadline>
{
    public const string Consumer = "repairdispatch-provider-callback-deadline";

    public Task Consume(ConsumeContext<ProviderCallbackDeadline> context) =>
        pipeline.Consume(context, Consumer, async (work, deadline, ct) =>
            (await jobs.Handle(work, deadline.JobId, opening: null,
                job => new RepairJobCommand.CallbackDeadlineReached(deadline.JobId, deadline.Attempt, job.Providers, job.Now), ct)).Refusal);
}
