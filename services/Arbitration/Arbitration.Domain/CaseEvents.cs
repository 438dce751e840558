using System.Text.Json.Serialization;

namespace Arbitration.Domain;

[JsonPolymorphic]
[JsonDerivedType(typeof(CaseOpened), nameof(CaseOpened))]
[JsonDerivedType(typeof(EvidenceSubmitted), nameof(EvidenceSubmitted))]
[JsonDerivedType(typeof(ArbitratorAssigned), nameof(ArbitratorAssigned))]
[JsonDerivedType(typeof(CaseRuled), nameof(CaseRuled))]
[JsonDerivedType(typeof(CompensationInstructed), nameof(CompensationInstructed))]
[JsonDerivedType(typeof(PaymentConfirmed), nameof(PaymentConfirmed))]
[JsonDerivedType(typeof(PaymentFailed), nameof(PaymentFailed))]
public abstract record CaseEvent(Guid CaseId)
{
    /// <param name="RespondentDeadlineAt">When the service must deliver EnforceRespondentDeadline.</param>
    public sealed record CaseOpened(
        Guid CaseId,
        string OrderId,
        string LineId,
        string BuyerId,
        CaseOrigin Origin,
        Respondent Respondent,
        DisputedItem Item,
        DateTimeOffset OpenedAt,
        DateTimeOffset RespondentDeadlineAt) : CaseEvent(CaseId);

    public sealed record EvidenceSubmitted(
        Guid CaseId,
        CaseSide Side,
        string ActorId,
        IReadOnlyList<string> Links,
        string Statement,
        DateTimeOffset SubmittedAt) : CaseEvent(CaseId);

    public sealed record ArbitratorAssigned(Guid CaseId, string ArbitratorId, DateTimeOffset AssignedAt) : CaseEvent(CaseId);

    /// <summary>The final ruling; the service publishes it for the other services to act on.</summary>
    /// <param name="ArbitratorId">Null for the default ruling against a respondent who stayed silent.</param>
    public sealed record CaseRuled(
        Guid CaseId,
        Verdict Verdict,
        string Rationale,
        string? ArbitratorId,
        DateTimeOffset RuledAt) : CaseEvent(CaseId);

    /// <summary>
    /// The compensation a ruling awarded, for the trade system to pay at the respondent's cost; follows its CaseRuled.
    /// Published as Payments.V1 CompensationInstructed, with the case's id as the instruction's.
    /// </summary>
    public sealed record CompensationInstructed(Guid CaseId, decimal Amount, Respondent PaidBy, DateTimeOffset InstructedAt) : CaseEvent(CaseId);

    /// <summary>The trade system paid the compensation at PaidAt; At is when the platform heard it.</summary>
    public sealed record PaymentConfirmed(Guid CaseId, string PaymentReference, DateTimeOffset PaidAt, DateTimeOffset At) : CaseEvent(CaseId);

    /// <summary>The trade system could not pay the compensation; it may still confirm it later.</summary>
    public sealed record PaymentFailed(Guid CaseId, string Reason, DateTimeOffset FailedAt, DateTimeOffset At) : CaseEvent(CaseId);
}
