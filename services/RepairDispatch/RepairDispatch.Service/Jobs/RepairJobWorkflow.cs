using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;
using RepairDispatch.Service.ReadModels;
using static RepairDispatch.Domain.RepairJobEvent;
using C = Platform.Contracts.Repair.V1;

namespace RepairDispatch.Service.Jobs;

/// <summary>The job as a unit of work loaded it, with the time and the providers a dispatch would choose from.</summary>
public sealed record JobSnapshot(RepairJob State, DateTimeOffset Now, IReadOnlyCollection<ProviderCandidate> Providers);

/// <summary>What a unit of work did to a job: the decision (none when the caller chose not to decide) and the job as it now stands.</summary>
public sealed record JobOutcome(Decision<RepairJobEvent>? Decision, RepairJob State)
{
    public IReadOnlyList<RepairJobEvent> Events => Decision?.Events ?? [];

    public Refusal? Refusal => (Decision as Decision<RepairJobEvent>.Refused)?.Refusal;
}

/// <summary>
/// The one place a repair job is changed: load and fold its stream, decide, append, and in the same
/// unit of work send, publish and schedule what the events call for, record breaches on the
/// providers' streams, and write the read models.
/// </summary>
public sealed class RepairJobWorkflow(RepairDispatchPolicy policy, ProviderWorkflow providers, RepairDispatchMetrics metrics, TimeProvider clock)
{
    public const string StreamType = "repair-job";

    public static string StreamId(Guid jobId) => $"repair-job-{jobId}";

    /// <summary>Each provider's own queue: a dispatch is sent there and nowhere else.</summary>
    public static string ProviderQueue(string providerId) => $"repair-provider-{providerId}";

    /// <param name="opening">The request of a job the command may open; an existing job's providers are chosen by its own request.</param>
    /// <param name="command">The command for the job as loaded, or null to decide nothing.</param>
    public async Task<JobOutcome> Run(Session session, Guid jobId, RepairRequest? opening, Func<JobSnapshot, RepairJobCommand?> command, CancellationToken ct)
    {
        await JobReadModel.TakeTurn(session, jobId, ct);
        // After the wait for its turn, so a report that waited is judged by when it was decided, not queued.
        var now = clock.GetUtcNow();
        var stream = await session.Load(StreamId(jobId), StreamType, RepairJob.Initial, (s, e) => RepairJobDecider.Evolve(s, (RepairJobEvent)e), ct);
        var request = stream.State is RepairJob.Opened opened ? opened.Details.Request : opening;
        var candidates = request is null
            ? []
            : await ProviderReadModel.Candidates(session, request.Region, request.Category, policy.QualityScore, ct);
        if (command(new JobSnapshot(stream.State, now, candidates)) is not { } decided)
        {
            return new JobOutcome(null, stream.State);
        }

        var decision = RepairJobDecider.Decide(decided, stream.State, policy);
        session.Append(stream, decision.Events);
        var state = decision.Events.Aggregate(stream.State, RepairJobDecider.Evolve);
        // A refused action is only kept on the record: nothing was sent, nothing moved.
        if (decision.Events.Any(e => e is not UnauthorisedProviderActionRecorded))
        {
            await Apply(session, stream.State, (RepairJob.Opened)state, decision.Events, now, ct);
        }
        return new JobOutcome(decision, state);
    }

    /// <summary>Commits the unit of work; the metrics count what it did only once it is stored.</summary>
    public async Task<CommitResult> Commit(Session session, JobOutcome outcome, CancellationToken ct)
    {
        var result = await session.Commit(ct);
        if (result == CommitResult.Committed)
        {
            metrics.Record(outcome.Events);
        }
        return result;
    }

    private async Task Apply(Session session, RepairJob before, RepairJob.Opened after, IReadOnlyList<RepairJobEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        var details = after.Details;
        if (events.Any(e => e is ProviderCallbackSlaBreached))
        {
            // A breach is also appended to the provider's stream, which all its jobs share. When many of its
            // deadlines fall due at once (after an outage), units of work racing to append there exhausted their
            // retries and dead-lettered deadlines; they take turns on the provider's row instead, before loading
            // its stream. Every row this unit of work will write is locked now, in the order the read model
            // locks them, so that taking turns cannot deadlock.
            await ProviderReadModel.TakeTurns(session, Concerned(before, after, events), ct);
        }
        var pending = await JobReadModel.Deadlines(session, details.JobId, ct);
        var deviceReceivedAt = pending.DeviceReceivedAt;
        Guid? newCallback = null;
        Guid? newFeedback = null;
        var statuses = new Dictionary<string, ProviderStatus>(StringComparer.Ordinal);
        RepairJobEvent? previous = null;
        foreach (var @event in events)
        {
            switch (@event)
            {
                case RepairJobOpened opened:
                    session.Publish(ContractMessages.Opened(opened));
                    break;
                case RepairJobDispatched dispatched:
                    session.Send(ProviderQueue(dispatched.ProviderId), ContractMessages.Dispatched(dispatched));
                    newCallback = session.Schedule(dispatched.CallbackDeadlineAt, ContractMessages.CallbackDeadline(dispatched));
                    if (dispatched.Attempt > 1)
                    {
                        var reason = previous is RepairJobDeclined ? C.RedispatchReason.ProviderDeclined : C.RedispatchReason.CallbackSlaBreached;
                        session.Publish(ContractMessages.Redispatched(dispatched, after.Attempts[dispatched.Attempt - 2], reason));
                    }
                    break;
                case ProviderCallbackSlaBreached breached:
                    session.Publish(ContractMessages.Breached(breached, details, after.Attempts[breached.Attempt - 1]));
                    var recorded = await providers.Execute(session, breached.ProviderId,
                        new ProviderCommand.RecordCallbackBreach(breached.ProviderId, breached.JobId, breached.Attempt, breached.DeadlineAt, now), ct);
                    if (recorded.Decision.Events.Count > 0 && recorded.State is Provider.Registered provider)
                    {
                        statuses[provider.ProviderId] = provider.Status;
                    }
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
            await session.CancelScheduled(staleCallback, ct);
        }
        var feedback = newFeedback ?? (after is RepairJob.InProgress { FeedbackDueAt: not null } ? pending.Feedback : null);
        if (pending.Feedback is { } staleFeedback && staleFeedback != feedback)
        {
            await session.CancelScheduled(staleFeedback, ct);
        }

        await ProviderReadModel.Apply(session, ProviderChanges(before, after, events, statuses), details.JobId, now, ct);
        await JobReadModel.Upsert(session, after, new PendingDeadlines(callback, feedback, deviceReceivedAt), now, ct);
    }

    /// <summary>
    /// A job counts against the capacity of the provider its current attempt is with, while it is in
    /// progress; the scorecards take what the events add.
    /// </summary>
    private static IEnumerable<ProviderRowChange> ProviderChanges(
        RepairJob before, RepairJob after, IReadOnlyList<RepairJobEvent> events, IReadOnlyDictionary<string, ProviderStatus> statuses)
    {
        var holderBefore = Holder(before);
        var holderAfter = Holder(after);
        foreach (var providerId in Concerned(before, after, events).Concat(statuses.Keys).Distinct(StringComparer.Ordinal))
        {
            var openJobs = holderBefore == holderAfter ? 0 : (providerId == holderAfter ? 1 : 0) - (providerId == holderBefore ? 1 : 0);
            var card = events.Aggregate(ProviderScorecard.Empty(providerId), ProviderScorecard.Evolve);
            var status = statuses.TryGetValue(providerId, out var s) ? s : (ProviderStatus?)null;
            var scored = card.JobsDispatched + card.OnTimeCallbacks + card.Breaches + card.Declines + card.Completions
                + card.TimesToCallback.Count + card.TimesToComplete.Count > 0;
            if (openJobs != 0 || scored || status is not null)
            {
                yield return new ProviderRowChange(providerId, openJobs, card, status);
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
