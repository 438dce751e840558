using System.Text.Json.Serialization;

namespace Arbitration.Domain;

/// <summary>Why the case decider refuses a command: the <c>code</c> of its <see cref="Platform.Domain.Refusal"/>.</summary>
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
