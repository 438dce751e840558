using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.FeedbackDeadline;

/// <summary>
/// The report owed on a mailed-in device: if the job still owes the one this deadline was scheduled
/// for, the job is escalated to the platform. One that arrives before its due time by this service's
/// clock is scheduled again for then.
/// </summary>
public sealed class DeviceFeedbackDeadlineConsumer(MessagePipeline pipeline, RepairJobStream jobs) : IConsumer<DeviceFeedbackDeadline>
{
    public const string Consumer = "repairdispatch-device-feedback-deadline";

    public Task Consume(ConsumeContext<DeviceFeedbackDeadline> context) =>
        pipeline.Consume(context, Consumer, async (work, deadline, ct) =>
            (await jobs.Handle(work, deadline.JobId, opening: null,
                job => new RepairJobCommand.FeedbackDeadlineReached(deadline.JobId, deadline.DueAt, job.Now), ct)).Refusal);
}
