using System.Text.Json.Serialization;

namespace RepairDispatch.Domain;

/// <summary>
/// The facts of a repair job. Each carries what the service must act on in the same transaction
/// (send to the provider's queue, schedule a deadline, open an arbitration case) without re-reading the stream.
/// </summary>
public abstract record RepairJobEvent
{
    private RepairJobEvent() { }

    public sealed record RepairJobOpened(
        Guid JobId,
        RepairSource Source,
        RepairRequest Request,
        RepairPayer PaidBy,
        DateTimeOffset OpenedAt) : RepairJobEvent;

    /// <summary>Send the job to <paramref name="ProviderId"/>'s queue and schedule the callback deadline of <paramref name="Attempt"/> at <paramref name="CallbackDeadlineAt"/>.</summary>
    public sealed record RepairJobDispatched(
        Guid JobId,
        int Attempt,
        string ProviderId,
        RepairSource Source,
        RepairRequest Request,
        RepairPayer PaidBy,
        DateTimeOffset DispatchedAt,
        DateTimeOffset CallbackDeadlineAt) : RepairJobEvent;

    public sealed record RepairJobAccepted(
        Guid JobId,
        int Attempt,
        string ProviderId,
        DateTimeOffset AcceptedAt) : RepairJobEvent;

    /// <summary>Recorded as a decline, never as a breach: saying no early is what we want from a provider that cannot help.</summary>
    /// <param name="Reason">The provider's note; empty when the code says it all.</param>
    /// <param name="Code">Null only on declines stored before the codes were published.</param>
    public sealed record RepairJobDeclined(
        Guid JobId,
        int Attempt,
        string ProviderId,
        string Reason,
        DateTimeOffset DeclinedAt,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeclineReasonCode? Code = null) : RepairJobEvent;

    /// <param name="DispatchedAt">When this attempt was dispatched, so the time to call back needs nothing else.</param>
    /// <param name="OnTime">At or before the attempt's callback deadline.</param>
    public sealed record CustomerContacted(
        Guid JobId,
        int Attempt,
        string ProviderId,
        DateTimeOffset BookedFor,
        DateTimeOffset DispatchedAt,
        DateTimeOffset ContactedAt,
        bool OnTime) : RepairJobEvent;

    /// <param name="DeadlineAt">When the breach happened: the deadline, not the moment it was noticed, so scheduler lag never moves it.</param>
    public sealed record ProviderCallbackSlaBreached(
        Guid JobId,
        int Attempt,
        string ProviderId,
        DateTimeOffset DeadlineAt,
        DateTimeOffset RecordedAt) : RepairJobEvent;

    /// <summary>Schedule the feedback deadline at <paramref name="FeedbackDueAt"/>.</summary>
    public sealed record DeviceReceived(
        Guid JobId,
        int Attempt,
        string ProviderId,
        DateTimeOffset ReceivedAt,
        DateTimeOffset FeedbackDueAt) : RepairJobEvent;

    /// <param name="NextFeedbackDueAt">While the provider holds the device, the next report is owed by then (schedule it); null before the device arrives.</param>
    /// <param name="Note">The provider's words; empty when the code says it all.</param>
    /// <param name="Code">Null only on reports stored before the codes were published.</param>
    /// <param name="Attachments">Https links to photos or documents; null when none.</param>
    public sealed record RepairProgressReported(
        Guid JobId,
        int Attempt,
        string ProviderId,
        string Note,
        DateTimeOffset ReportedAt,
        DateTimeOffset? NextFeedbackDueAt,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProgressCode? Code = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Attachments = null) : RepairJobEvent;

    public sealed record RepairJobCompleted(
        Guid JobId,
        int Attempt,
        string ProviderId,
        RepairOutcome Outcome,
        string Report,
        DateTimeOffset DispatchedAt,
        DateTimeOffset CompletedAt) : RepairJobEvent;

    /// <summary>The platform takes the job over (兜底) through arbitration; the event carries what a case needs.</summary>
    /// <param name="AttemptsMade">How many providers the job was dispatched to.</param>
    /// <param name="LastProviderId">The provider the job was last with; null when none was ever found.</param>
    public sealed record RepairJobEscalated(
        Guid JobId,
        EscalationReason Reason,
        string Detail,
        RepairSource Source,
        RepairRequest Request,
        RepairPayer PaidBy,
        int AttemptsMade,
        string? LastProviderId,
        DateTimeOffset EscalatedAt) : RepairJobEvent;

    /// <summary>
    /// A provider tried to act on a job that is not theirs. The action is refused; this record of it
    /// is kept (an operator may need to see who probes other providers' jobs) and changes nothing.
    /// </summary>
    public sealed record UnauthorisedProviderActionRecorded(
        Guid JobId,
        string ProviderId,
        ProviderAction Action,
        RepairDispatchRefusalCode Code,
        DateTimeOffset AttemptedAt) : RepairJobEvent;
}
