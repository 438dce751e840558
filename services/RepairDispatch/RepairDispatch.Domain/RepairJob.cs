using System.Collections.Immutable;

namespace RepairDispatch.Domain;

/// <summary>What stays fixed over a job's life.</summary>
public sealed record RepairJobDetails(Guid JobId, RepairSource Source, RepairRequest Request, RepairPayer PaidBy);

/// <summary>One dispatch of the job to one provider.</summary>
/// <param name="BookedFor">The visit the provider booked when it called the buyer; null until it has.</param>
/// <param name="CallbackBreached">The provider let its callback deadline pass.</param>
public sealed record DispatchAttempt(
    int Number,
    string ProviderId,
    DateTimeOffset DispatchedAt,
    DateTimeOffset CallbackDeadlineAt,
    bool Accepted,
    DateTimeOffset? BookedFor,
    bool CallbackBreached = false)
{
    public bool CustomerContacted => BookedFor is not null;
}

/// <summary>A repair job as its events leave it.</summary>
public abstract record RepairJob
{
    private RepairJob() { }

    public static RepairJob Initial { get; } = new NotOpened();

    public sealed record NotOpened : RepairJob;

    public abstract record Opened : RepairJob
    {
        private protected Opened(RepairJobDetails details, ImmutableList<DispatchAttempt> attempts)
        {
            Details = details;
            Attempts = attempts;
        }

        public RepairJobDetails Details { get; init; }
        public ImmutableList<DispatchAttempt> Attempts { get; init; }

        /// <summary>The attempt the job is with now: the only one whose provider may act.</summary>
        public DispatchAttempt? Current => Attempts.IsEmpty ? null : Attempts[^1];
    }

    /// <param name="FeedbackDueAt">Set while the provider holds a mailed-in device: when its next report is owed.</param>
    public sealed record InProgress(RepairJobDetails Details, ImmutableList<DispatchAttempt> Attempts, DateTimeOffset? FeedbackDueAt)
        : Opened(Details, Attempts);

    public sealed record Completed(RepairJobDetails Details, ImmutableList<DispatchAttempt> Attempts, RepairOutcome Outcome)
        : Opened(Details, Attempts);

    public sealed record Escalated(RepairJobDetails Details, ImmutableList<DispatchAttempt> Attempts, EscalationReason Reason)
        : Opened(Details, Attempts);
}
