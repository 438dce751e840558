using Platform.Domain;
using static Arbitration.Domain.CaseCommand;
using static Arbitration.Domain.CaseRefusalCode;

namespace Arbitration.Domain;

public enum PaymentStatus
{
    Instructed,
    Paid,
    Failed,
}

/// <summary>
/// Compensation a ruling awarded, instructed for the trade system to pay at the losing respondent's cost, and its answer.
/// A case is ruled once, so it instructs at most one, and the case's id is the instruction's.
/// </summary>
public sealed record CompensationPayment(
    decimal Amount,
    Respondent PaidBy,
    DateTimeOffset InstructedAt,
    PaymentStatus Status,
    string? PaymentReference,
    string? FailureReason,
    DateTimeOffset? SettledAt);

/// <summary>The money side of a ruling (docs/domain.md "Money"): what it instructs and how the trade system's answers settle it.</summary>
public static class Compensation
{
    public const string Currency = "CNY";

    /// <summary>The ruling, and the compensation it awards when it awards one.</summary>
    internal static IReadOnlyList<CaseEvent> Ruled(CaseFile file, CaseEvent.CaseRuled ruled) =>
        ruled.Verdict is Verdict.ForBuyer { Remedy: Remedy.Compensation { Amount: var amount } }
            ? [ruled, new CaseEvent.CompensationInstructed(file.CaseId, amount, file.Respondent, ruled.RuledAt)]
            : [ruled];

    /// <summary>Paid is final: the same confirmation again changes nothing; a failure may be followed by a payment, not the reverse.</summary>
    internal static Decision<CaseEvent> Confirm(ConfirmPayment command, CaseState state) =>
        Settled(command.CaseId, command.Amount, command.Currency, state) switch
        {
            { } refused => refused,
            _ => state.Compensation!.Status == PaymentStatus.Paid
                ? Decide<CaseEvent>.Nothing
                : Decide<CaseEvent>.Accept(new CaseEvent.PaymentConfirmed(command.CaseId, command.PaymentReference, command.PaidAt, command.Now)),
        };

    internal static Decision<CaseEvent> Fail(RecordPaymentFailure command, CaseState state)
    {
        if (Settled(command.CaseId, command.Amount, command.Currency, state) is { } refused)
            return refused;
        var payment = state.Compensation!;
        return payment.Status switch
        {
            PaymentStatus.Paid => Decide<CaseEvent>.Refuse(PaymentAlreadyConfirmed,
                $"the compensation of case {command.CaseId} was confirmed paid ({payment.PaymentReference}) at {payment.SettledAt:O}; a failure cannot follow"),
            PaymentStatus.Failed when payment.FailureReason == command.Reason && payment.SettledAt == command.FailedAt => Decide<CaseEvent>.Nothing,
            _ => Decide<CaseEvent>.Accept(new CaseEvent.PaymentFailed(command.CaseId, command.Reason, command.FailedAt, command.Now)),
        };
    }

    /// <summary>An answer must name a compensation this service instructed and repeat its amount.</summary>
    private static Decision<CaseEvent>? Settled(Guid instructionId, decimal amount, string currency, CaseState state) => state.Compensation switch
    {
        null => Decide<CaseEvent>.Refuse(UnknownPaymentInstruction, $"no compensation {instructionId} was instructed"),
        { } payment when payment.Amount != amount || !string.Equals(currency, Currency, StringComparison.Ordinal) =>
            Decide<CaseEvent>.Refuse(PaymentAmountMismatch,
                $"compensation {instructionId} is for {payment.Amount} {Currency}; the answer says {amount} {currency}"),
        _ => null,
    };

    internal static CaseState Evolve(CaseState state, CaseEvent @event) => @event switch
    {
        CaseEvent.CompensationInstructed e => state with
        {
            Compensation = new CompensationPayment(e.Amount, e.PaidBy, e.InstructedAt, PaymentStatus.Instructed, null, null, null),
        },
        CaseEvent.PaymentConfirmed e when state.Compensation is { } payment => state with
        {
            Compensation = payment with { Status = PaymentStatus.Paid, PaymentReference = e.PaymentReference, FailureReason = null, SettledAt = e.PaidAt },
        },
        CaseEvent.PaymentFailed e when state.Compensation is { } payment => state with
        {
            Compensation = payment with { Status = PaymentStatus.Failed, FailureReason = e.Reason, SettledAt = e.FailedAt },
        },
        _ => state,
    };
}
