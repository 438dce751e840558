using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Jobs;

namespace RepairDispatch.Service.Features.CallbackDeadline;

/// <summary>
/// The callback deadline of one attempt: if that attempt is still current and the buyer was not
/// called, the breach is recorded and the job moves to the next provider or to the platform.
/// </summary>
public sealed class ProviderCallbackDeadlineConsumer(EventStore store, RepairJobWorkflow jobs) : IConsumer<ProviderCallbackDeadline>
{
    public const string Consumer = "repairdispatch-provider-callback-deadline";

    public async Task Consume(ConsumeContext<ProviderCallbackDeadline> context)
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
            // Early (a clock ahead of this one, or a message this service did not schedule): the breach
            // counts from the deadline the job holds, so the message waits for it.
            if (job.State is RepairJob.InProgress { Current: { } current } && current.Number == deadline.Attempt && job.Now < current.CallbackDeadlineAt)
            {
                session.Schedule(current.CallbackDeadlineAt, deadline);
                return null;
            }
            return new RepairJobCommand.CallbackDeadlineReached(deadline.JobId, deadline.Attempt, job.Providers, job.Now);
        }, ct);
        await jobs.Commit(session, outcome, ct);
    }
}
