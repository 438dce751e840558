using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.EventSourcing;

namespace Arbitration.Service.Features.EnforceRespondentDeadline;

/// <summary>
/// The respondent's deadline, scheduled when the case opened. A respondent still silent loses by
/// default; one that answered, or a case already ruled, makes the deadline a no-op.
/// </summary>
public sealed class RespondentDeadlineConsumer(EventStore store, ArbitrationPolicy policy, ArbitrationMetrics metrics, TimeProvider clock) : IConsumer<RespondentDeadline>
{
    public async Task Consume(ConsumeContext<RespondentDeadline> context)
    {
        var ct = context.CancellationToken;
        var deadline = context.Message;
        await using var session = await store.OpenSession(context, "arbitration-respondent-deadline", ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var stream = await CaseStreams.Load(session, deadline.CaseId, ct);
        CaseChange? change = null;
        switch (CaseDecider.Decide(new CaseCommand.EnforceRespondentDeadline(deadline.CaseId, clock.GetUtcNow()), stream.State, policy))
        {
            case CaseDecision.Accepted accepted:
                change = await CaseEffects.Apply(session, stream, accepted.Events, ct);
                break;
            case CaseDecision.Refused { RetryAt: { } retryAt }:
                // Delivered before its time (another process's clock ran ahead): due again then.
                session.Schedule(retryAt, deadline);
                break;
            case CaseDecision.Refused refused:
                session.RecordRefusal(deadline, refused.Code.ToString(), refused.Reason);
                break;
        }
        if (await session.Commit(ct) == CommitResult.Committed && change is not null)
        {
            metrics.Record(change);
        }
    }
}
