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
    /// <summary>A payment answer names no compensation this service instructed.</summary>
    UnknownPaymentInstruction,
    /// <summary>A payment answer's amount or currency is not the instruction's.</summary>
    PaymentAmountMismatch,
    /// <summary>A failure reported for a compensation already confirmed paid.</summary>
    PaymentAlreadyConfirmed,
}
