using System.Collections.Immutable;
using static RepairDispatch.Domain.RepairJob;
using static RepairDispatch.Domain.RepairJobCommand;
using static RepairDispatch.Domain.RepairJobEvent;
using Platform.Domain;
using D = Platform.Domain.Decide<RepairDispatch.Domain.RepairJobEvent>;

namespace RepairDispatch.Domain;

public static class RepairJobDecider
{
    public static Decision<RepairJobEvent> Decide(RepairJobCommand command, RepairJob state, RepairDispatchPolicy policy) =>
        (command, state) switch
        {
            (OpenRepairJob open, NotOpened) => Open(open, policy),
            // The claim or ruling message was delivered again: the job it opened stands.
            (OpenRepairJob open, Opened job) when open.Details == job.Details => D.Nothing,
            (OpenRepairJob, Opened) => D.Refuse(RepairDispatchRefusalCode.JobAlreadyOpened, "A repair job with this id was already opened for another claim or ruling."),

            (CallbackDeadlineReached deadline, InProgress job) => OnCallbackDeadline(deadline, job, policy),
            (FeedbackDeadlineReached deadline, InProgress job) => OnFeedbackDeadline(deadline, job),
            // A deadline outlives its job when the job was completed or escalated first.
            (CallbackDeadlineReached or FeedbackDeadlineReached, _) => D.Nothing,

            (ProviderReport report, Opened job) => OnProviderReport(report, job, policy),
            (ProviderReport, NotOpened) => D.Refuse(RepairDispatchRefusalCode.JobNotFound, "There is no repair job with this id."),

            _ => throw new ArgumentOutOfRangeException(nameof(command), $"{command.GetType().Name} on {state.GetType().Name} is not a repair job case."),
        };

    public static RepairJob Evolve(RepairJob state, RepairJobEvent @event) =>
        (state, @event) switch
        {
            (NotOpened, RepairJobOpened opened) =>
                new InProgress(new RepairJobDetails(opened.JobId, opened.Source, opened.Request, opened.PaidBy), [], FeedbackDueAt: null),
            (InProgress job, RepairJobDispatched dispatched) => job with
            {
                Attempts = job.Attempts.Add(new DispatchAttempt(dispatched.Attempt, dispatched.ProviderId, dispatched.DispatchedAt, dispatched.CallbackDeadlineAt, Accepted: false, BookedFor: null)),
            },
            (InProgress job, RepairJobAccepted) => job with { Attempts = WithCurrent(job, attempt => attempt with { Accepted = true }) },
            (InProgress job, CustomerContacted contacted) => job with { Attempts = WithCurrent(job, attempt => attempt with { BookedFor = contacted.BookedFor }) },
            (InProgress job, ProviderCallbackSlaBreached breached) => job with
            {
                Attempts = job.Attempts.SetItem(breached.Attempt - 1, job.Attempts[breached.Attempt - 1] with { CallbackBreached = true }),
            },
            (InProgress job, DeviceReceived received) => job with { FeedbackDueAt = received.FeedbackDueAt },
            (InProgress job, RepairProgressReported progress) => job with { FeedbackDueAt = progress.NextFeedbackDueAt },
            (InProgress job, RepairJobCompleted completed) => new Completed(job.Details, job.Attempts, completed.Outcome),
            (InProgress job, RepairJobEscalated escalated) => new Escalated(job.Details, job.Attempts, escalated.Reason),
            // Declines and refused actions are kept for the record and the scorecards; the dispatch or
            // escalation that follows a breach or decline is what moves the job.
            _ => state,
        };

    private static Decision<RepairJobEvent> Open(OpenRepairJob open, RepairDispatchPolicy policy) =>
        D.Accept([
            new RepairJobOpened(open.Details.JobId, open.Details.Source, open.Details.Request, open.Details.PaidBy, open.Now),
            DispatchNext(open.Details, [], open.Providers, open.Now, policy),
        ]);

    private static Decision<RepairJobEvent> OnCallbackDeadline(CallbackDeadlineReached deadline, InProgress job, RepairDispatchPolicy policy)
    {
        // Only the attempt the deadline was scheduled for counts: an old attempt's deadline, or one
        // delivered again after it moved the job on, finds a different current attempt.
        if (job.Current is not { } attempt || attempt.Number != deadline.Attempt || attempt.CustomerContacted)
        {
            return D.Nothing;
        }
        // Early by this service's clock (the relay's ran ahead): the breach counts from the deadline the
        // job holds, so the message is due again then; dropping it would leave the job with this provider for ever.
        if (deadline.Now < attempt.CallbackDeadlineAt)
        {
            return D.Refuse(RepairDispatchRefusalCode.CallbackDeadlineNotDue,
                $"Attempt {attempt.Number}'s callback deadline is {attempt.CallbackDeadlineAt:O}, not yet.", attempt.CallbackDeadlineAt);
        }
        return D.Accept([
            new ProviderCallbackSlaBreached(job.Details.JobId, attempt.Number, attempt.ProviderId, attempt.CallbackDeadlineAt, deadline.Now),
            DispatchNext(job.Details, job.Attempts, deadline.Providers, deadline.Now, policy),
        ]);
    }

    private static Decision<RepairJobEvent> OnFeedbackDeadline(FeedbackDeadlineReached deadline, InProgress job) =>
        // Any progress since moved FeedbackDueAt, so a deadline that no longer matches is satisfied or stale.
        job.FeedbackDueAt != deadline.DueAt ? D.Nothing
        : deadline.Now < deadline.DueAt
            ? D.Refuse(RepairDispatchRefusalCode.FeedbackDeadlineNotDue, $"The device's report is owed by {deadline.DueAt:O}, not yet.", deadline.DueAt)
            : D.Accept(FeedbackOverdue(job, deadline.DueAt, deadline.Now));

    private static RepairJobEscalated FeedbackOverdue(InProgress job, DateTimeOffset dueAt, DateTimeOffset now) =>
        Escalation(job.Details, job.Attempts, EscalationReason.FeedbackOverdue, $"The provider holding the device reported no progress by {dueAt:O}.", now);

    private static Decision<RepairJobEvent> OnProviderReport(ProviderReport report, Opened job, RepairDispatchPolicy policy)
    {
        if (job.Current is not { } attempt || attempt.ProviderId != report.ProviderId)
        {
            var (code, reason) = job.Attempts.FindLast(a => a.ProviderId == report.ProviderId) switch
            {
                null => (RepairDispatchRefusalCode.NotYourJob, "This job was not dispatched to you."),
                { CallbackBreached: true } yours => (RepairDispatchRefusalCode.CallbackDeadlinePassed,
                    $"Your callback deadline passed at {yours.CallbackDeadlineAt:O}; the job was taken from you."),
                _ => (RepairDispatchRefusalCode.AttemptSuperseded, "This job was taken from you and dispatched to another provider; you can no longer act on it."),
            };
            return D.RefuseAndRecord(code, reason,
                new UnauthorisedProviderActionRecorded(job.Details.JobId, report.ProviderId, report.Action, code, report.Now));
        }

        return (report, job) switch
        {
            // The same completion reported again (a retried request) is already done.
            (ReportCompletion completion, Completed done) when completion.Outcome == done.Outcome => D.Nothing,
            (_, Completed done) => D.Refuse(RepairDispatchRefusalCode.JobCompleted, $"The job is already completed ({done.Outcome})."),
            (_, Escalated { Reason: EscalationReason.FeedbackOverdue }) => D.Refuse(RepairDispatchRefusalCode.FeedbackDeadlinePassed,
                "The report owed on the device you hold did not come in time; the job was escalated to the platform."),
            (_, Escalated) when attempt.CallbackBreached => D.Refuse(RepairDispatchRefusalCode.CallbackDeadlinePassed,
                $"Your callback deadline passed at {attempt.CallbackDeadlineAt:O}; the job was escalated to the platform."),
            (_, Escalated escalated) => D.Refuse(RepairDispatchRefusalCode.JobEscalated, $"The job was escalated to the platform ({escalated.Reason}); it no longer takes reports."),

            (AcceptJob, InProgress) when attempt.Accepted => D.Nothing,
            (AcceptJob accept, InProgress) => D.Accept(new RepairJobAccepted(job.Details.JobId, attempt.Number, attempt.ProviderId, accept.Now)),

            (DeclineJob, InProgress { FeedbackDueAt: not null }) =>
                D.Refuse(RepairDispatchRefusalCode.DeviceHeldByProvider, "You hold the buyer's device: report progress or completion (unrepairable if need be) instead of declining."),
            (DeclineJob { Code: DeclineReasonCode.Other } decline, InProgress) when string.IsNullOrWhiteSpace(decline.Reason) =>
                D.Refuse(RepairDispatchRefusalCode.NoteRequired, $"A decline for a reason not on the list ({DeclineReasonCode.Other}) must say why in its note."),
            (DeclineJob decline, InProgress) => D.Accept([
                new RepairJobDeclined(job.Details.JobId, attempt.Number, attempt.ProviderId, decline.Reason, decline.Now, decline.Code),
                DispatchNext(job.Details, job.Attempts, decline.Providers, decline.Now, policy),
            ]),

            (ReportCustomerContacted contact, InProgress) => OnCustomerContacted(contact, job.Details, attempt),

            (ReportDeviceReceived or ReportProgress or ReportCompletion, InProgress) when !attempt.CustomerContacted =>
                D.Refuse(RepairDispatchRefusalCode.CustomerNotContacted, "Report the buyer contacted, with the booked time, first."),

            (ReportDeviceReceived, InProgress { FeedbackDueAt: not null } held) when report.Now < held.FeedbackDueAt => D.Nothing,

            // The report owed on a held device came too late: the platform takes the job, whether the deadline
            // message or this report is handled first, and the provider is told so.
            (ReportDeviceReceived or ReportProgress or ReportCompletion, InProgress { FeedbackDueAt: { } due } held) when report.Now >= due =>
                D.RefuseAndRecord(RepairDispatchRefusalCode.FeedbackDeadlinePassed,
                    $"The report on the device you hold was owed by {due:O}; the job was escalated to the platform.",
                    FeedbackOverdue(held, due, report.Now)),

            (ReportDeviceReceived received, InProgress) => D.Accept(
                new DeviceReceived(job.Details.JobId, attempt.Number, attempt.ProviderId, received.Now, received.Now + policy.DeviceFeedbackDeadline)),

            // Progress satisfies the report owed and, while the device is held, owes the next one a
            // full period later: a device must never sit silent for longer than the period.
            (ReportProgress { Code: ProgressCode.Other } progress, InProgress) when string.IsNullOrWhiteSpace(progress.Note) =>
                D.Refuse(RepairDispatchRefusalCode.NoteRequired, $"A progress report at a stage not on the list ({ProgressCode.Other}) must say what in its note."),
            (ReportProgress progress, InProgress held) => D.Accept(
                new RepairProgressReported(job.Details.JobId, attempt.Number, attempt.ProviderId, progress.Note, progress.Now,
                    held.FeedbackDueAt is null ? null : progress.Now + policy.DeviceFeedbackDeadline, progress.Code,
                    progress.Attachments is { Count: > 0 } links ? links : null)),

            (ReportCompletion completion, InProgress) => D.Accept(
                new RepairJobCompleted(job.Details.JobId, attempt.Number, attempt.ProviderId, completion.Outcome, completion.Report, attempt.DispatchedAt, completion.Now)),

            _ => throw new ArgumentOutOfRangeException(nameof(report), $"{report.GetType().Name} on {job.GetType().Name} is not a provider report case."),
        };
    }

    private static Decision<RepairJobEvent> OnCustomerContacted(ReportCustomerContacted contact, RepairJobDetails details, DispatchAttempt attempt)
    {
        if (attempt.BookedFor is { } booked)
        {
            return booked == contact.BookedFor
                ? D.Nothing
                : D.Refuse(RepairDispatchRefusalCode.AlreadyContacted, $"The buyer's contact was already reported with a visit booked for {booked:O}.");
        }

        var onTime = contact.Now <= attempt.CallbackDeadlineAt;
        var contacted = new CustomerContacted(details.JobId, attempt.Number, attempt.ProviderId, contact.BookedFor, attempt.DispatchedAt, contact.Now, onTime);
        // A call after the deadline, reported before the deadline was processed, still breaches: the
        // breach must not depend on which message the service handled first. The job stays with this
        // provider because the buyer now has a booked visit; a redispatch would only call them again.
        return onTime
            ? D.Accept(contacted)
            : D.Accept(contacted, new ProviderCallbackSlaBreached(details.JobId, attempt.Number, attempt.ProviderId, attempt.CallbackDeadlineAt, contact.Now));
    }

    private static RepairJobEvent DispatchNext(
        RepairJobDetails details,
        ImmutableList<DispatchAttempt> attempts,
        IReadOnlyCollection<ProviderCandidate> providers,
        DateTimeOffset now,
        RepairDispatchPolicy policy)
    {
        if (attempts.Count >= policy.MaxAttempts)
        {
            return Escalation(details, attempts, EscalationReason.MaxAttemptsReached,
                $"All {policy.MaxAttempts} attempts were used ({string.Join(", ", attempts.Select(a => a.ProviderId))}).", now);
        }

        var next = ProviderSelection.Select(providers, details.Request.Region, details.Request.Category, [.. attempts.Select(a => a.ProviderId)]);
        return next is null
            ? Escalation(details, attempts, EscalationReason.NoEligibleProvider,
                $"No active provider with free capacity serves region {details.Request.Region} and category {details.Request.Category}"
                + (attempts.IsEmpty ? "." : " that was not tried already."), now)
            : new RepairJobDispatched(details.JobId, attempts.Count + 1, next.ProviderId, details.Source, details.Request, details.PaidBy, now, now + policy.CallbackSla);
    }

    private static RepairJobEscalated Escalation(
        RepairJobDetails details,
        ImmutableList<DispatchAttempt> attempts,
        EscalationReason reason,
        string detail,
        DateTimeOffset now) =>
        new(details.JobId, reason, detail, details.Source, details.Request, details.PaidBy, attempts.Count, attempts.IsEmpty ? null : attempts[^1].ProviderId, now);

    private static ImmutableList<DispatchAttempt> WithCurrent(InProgress job, Func<DispatchAttempt, DispatchAttempt> change) =>
        job.Attempts.SetItem(job.Attempts.Count - 1, change(job.Attempts[^1]));
}
