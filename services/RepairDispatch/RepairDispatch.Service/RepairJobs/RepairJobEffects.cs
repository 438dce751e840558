using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.Features.JobReports;
using RepairDispatch.Service.Providers;
using RepairDispatch.Service.ReadModels;
using static RepairDispatch.Domain.RepairJobEvent;
using C = Platform.Contracts.Repair.V1;

namespace RepairDispatch.Service.RepairJobs;

/// <summary>
/// What a job's events cause besides being stored, in the same unit of work: the dispatch sent to the
/// provider's queue, the contract events published, deadlines scheduled and cancelled, breaches recorded
/// on the providers' streams, and the providers' capacity and the jobs table written.
/// </summary>
public sealed class RepairJobEffects(ProviderStream providers, RepairDispatchPolicy policy, TimeProvider clock)
{
    public Task Apply(Session session, Applied<RepairJob, RepairJobEvent> applied, CancellationToken ct) =>
        // A refused action is only kept on the record: nothing was sent, nothing moved.
        applied.Steps.All(s => s.Event is UnauthorisedProviderActionRecorded)
            ? Task.CompletedTask
            : Apply(session, applied.Stream.State, (RepairJob.Opened)applied.After, [.. applied.Steps.Select(s => s.Event)], clock.GetUtcNow(), ct);

    private async Task Apply(Session session, RepairJob before, RepairJob.Opened after, IReadOnlyList<RepairJobEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        var details = after.Details;
        if (events.Any(e => e is ProviderCallbackSlaBreached))
        {
            // A breach is also appended to the provider's stream, which all its jobs share. When many of its
            // deadlines fall due at once (after an outage), units of work racing to append there exhausted their
            // retries and dead-lettered deadlines; they take turns on the provider's row instead, before loading
            // its stream. Every row this unit of work will write is locked now, in the order ProviderCapacity.Apply
            // locks them, so that taking turns cannot deadlock.
            await ProviderCapacity.Lock(session, Concerned(before, after, events), ct);
        }
        var pending = await PendingDeadlines.Of(session, details.JobId, ct);
        var deviceReceivedAt = pending.DeviceReceivedAt;
        Guid? newCallback = null;
        Guid? newFeedback = null;
        RepairJobEvent? previous = null;
        foreach (var @event in events)
        {
            switch (@event)
            {
                case RepairJobOpened opened:
                    session.Publish(ContractMessages.Opened(opened));
                    break;
                case RepairJobDispatched dispatched:
                    session.Send(RepairJobStream.ProviderQueue(dispatched.ProviderId), ContractMessages.Dispatched(dispatched));
                    newCallback = session.Schedule(dispatched.CallbackDeadlineAt, ContractMessages.CallbackDeadline(dispatched));
                    if (dispatched.Attempt > 1)
                    {
                        var reason = previous is RepairJobDeclined ? C.RedispatchReason.ProviderDeclined : C.RedispatchReason.CallbackSlaBreached;
                        session.Publish(ContractMessages.Redispatched(dispatched, after.Attempts[dispatched.Attempt - 2], reason));
                    }
                    break;
                case ProviderCallbackSlaBreached breached:
                    session.Publish(ContractMessages.Breached(breached, details, after.Attempts[breached.Attempt - 1]));
                    await new UnitOfWork(session).Handle(providers.Aggregate, ProviderStream.StreamId(breached.ProviderId), provider =>
                        ProviderDecider.Decide(new ProviderCommand.RecordCallbackBreach(breached.ProviderId, breached.JobId, breached.Attempt, breached.DeadlineAt, breached.RecordedAt), provider, policy), ct);
                    break;
                case DeviceReceived received:
                    deviceReceivedAt = received.ReceivedAt;
                    newFeedback = session.Schedule(received.FeedbackDueAt,
                        ContractMessages.FeedbackDeadline(details, after.Attempts[received.Attempt - 1], received.ReceivedAt, received.FeedbackDueAt));
                    break;
                case RepairProgressReported { NextFeedbackDueAt: { } next } progress:
                    newFeedback = session.Schedule(next,
                        ContractMessages.FeedbackDeadline(details, after.Attempts[progress.Attempt - 1], deviceReceivedAt ?? progress.ReportedAt, next));
                    break;
                case RepairJobCompleted completed:
                    session.Publish(ContractMessages.Completed(completed, details));
                    break;
                case RepairJobEscalated escalated:
                    session.Publish(ContractMessages.Escalated(escalated));
                    break;
            }
            previous = @event;
        }

        // A deadline that can no longer change anything (the buyer was called, the device's report came,
        // the job moved on or ended) is cancelled; one already sent is checked against the state on arrival anyway.
        var callback = newCallback ?? (after is RepairJob.InProgress { Current.CustomerContacted: false } ? pending.Callback : null);
        if (pending.Callback is { } staleCallback && staleCallback != callback)
        {
            session.CancelScheduled(staleCallback);
        }
        var feedback = newFeedback ?? (after is RepairJob.InProgress { FeedbackDueAt: not null } ? pending.Feedback : null);
        if (pending.Feedback is { } staleFeedback && staleFeedback != feedback)
        {
            session.CancelScheduled(staleFeedback);
        }

        ProviderCapacity.Apply(session, ProviderChanges(before, after, events), details.JobId, now);
        JobReadModel.Upsert(session, after, new PendingDeadlines(callback, feedback, deviceReceivedAt), now);
        await JobReportRows.Record(session, events, ct);
        Features.Webhooks.WebhookEvents.Record(session, before, after, events, now);
    }

    /// <summary>
    /// A job counts against the capacity of the provider its current attempt is with, while it is in
    /// progress; the scorecards take what the events add.
    /// </summary>
    private static IEnumerable<ProviderRowChange> ProviderChanges(RepairJob before, RepairJob after, IReadOnlyList<RepairJobEvent> events)
    {
        var holderBefore = Holder(before);
        var holderAfter = Holder(after);
        foreach (var providerId in Concerned(before, after, events))
        {
            var openJobs = holderBefore == holderAfter ? 0 : (providerId == holderAfter ? 1 : 0) - (providerId == holderBefore ? 1 : 0);
            var card = events.Aggregate(ProviderScorecard.Empty(providerId), ProviderScorecard.Evolve);
            var scored = card.JobsDispatched + card.OnTimeCallbacks + card.Breaches + card.Declines + card.Completions
                + card.TimesToCallback.Count + card.TimesToComplete.Count > 0;
            if (openJobs != 0 || scored)
            {
                yield return new ProviderRowChange(providerId, openJobs, card);
            }
        }
    }

    /// <summary>The providers whose rows a unit of work on the job may change.</summary>
    private static IEnumerable<string> Concerned(RepairJob before, RepairJob after, IReadOnlyList<RepairJobEvent> events) =>
        events.Select(ProviderOf).Append(Holder(before)).Append(Holder(after)).OfType<string>().Distinct(StringComparer.Ordinal);

    private static string? Holder(RepairJob job) => job is RepairJob.InProgress { Current: { } current } ? current.ProviderId : null;

    private static string? ProviderOf(RepairJobEvent @event) => @event switch
    {
        RepairJobDispatched e => e.ProviderId,
        CustomerContacted e => e.ProviderId,
        ProviderCallbackSlaBreached e => e.ProviderId,
        RepairJobDeclined e => e.ProviderId,
        RepairJobCompleted e => e.ProviderId,
        _ => null,
    };
}
