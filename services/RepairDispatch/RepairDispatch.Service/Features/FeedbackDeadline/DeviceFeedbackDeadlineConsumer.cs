using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Jobs;

namespace RepairDispatch.Service.Features.FeedbackDeadline;

/// <summary>
/// The report owed on a mailed-in device: if the job still owes the one this deadline was scheduled
/// for, the job is escalated to the platform.
/// </summary>
public sealed class DeviceFeedbackDeadlineConsumer(EventStore store, RepairJobWorkflow jobs) : IConsumer<DeviceFeedbackDeadline>
{
    public const string Consumer = "repairdispatch-device-feedback-deadline";

    public async Task Consume(ConsumeContext<DeviceFeedbackDeadline> context)
    {
        var deadline = context.Message;
        var ct = context.CancellationToken;
        await using var session = await store.OpenSession(context, Consumer, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var outcome = await jobs.Run(session, deadline.JobId, opening: null, job =>
        {
            // Early: the job escalates at the due time it holds, not before.
            if (job.State is RepairJob.InProgress { FeedbackDueAt: { } due } && due == deadline.DueAt && job.Now < due)
            {
                session.Schedule(due, deadline);
                return null;
            }
            return new RepairJobCommand.FeedbackDeadlineReached(deadline.JobId, deadline.DueAt, job.Now);
        }, ct);
        await jobs.Commit(session, outcome, ct);
    }
}
