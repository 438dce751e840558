using System.Text.Json.Serialization;

namespace Arbitration.Domain;

public abstract record CaseDecision
{
    /// <summary>Append these events. None means the command changed nothing (a duplicate, or no effect).</summary>
    public sealed record Accepted(IReadOnlyList<CaseEvent> Events) : CaseDecision;

    /// <summary>Nothing is appended; the reason can be shown to the actor.</summary>
    /// <param name="RetryAt">Set when the command only came too early: it may succeed at that instant.</param>
    public sealed record Refused(CaseRefusalCode Code, string Reason, DateTimeOffset? RetryAt = null) : CaseDecision;
}

[JsonConverter(typeof(JsonStringEnumConverter<CaseRefusalCode>))]
public enum CaseRefusalCode
{
    MissingField,
    CaseNotOpen,
    CaseAlreadyOpen,
    NotAParty,
    RespondentDeadlinePassed,
    CaseAlreadyRuled,
    ArbitratorAlreadyAssigned,
    NotAnArbitrator,
    NotTheAssignedArbitrator,
    MissingRationale,
    InvalidCompensation,
    RespondentStillHasTime,
    DeadlineNotReached,
}
