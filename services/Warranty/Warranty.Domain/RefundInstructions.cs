using System.Security.Cryptography;
using System.Text;
using Platform.Domain;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain;

/// <summary>The decision of the file's that moves money back to the buyer.</summary>
public enum PaymentReason
{
    ReturnAccepted,
    RulingRefund,
    ExtendedWarrantyCancelled,
}

/// <summary>Whose money a refund is, as the rules say.</summary>
public enum Payer
{
    Merchant,
    Platform,
    ExtendedWarrantyPlan,
}

public enum PaymentStatus
{
    Instructed,
    Paid,
    Failed,
}

/// <summary>One refund the file instructed, and what the trade system answered.</summary>
public sealed record PaymentRecord(
    Guid InstructionId,
    PaymentReason Reason,
    decimal Amount,
    Payer PaidBy,
    Guid? ClaimId,
    string? CaseId,
    DateTimeOffset InstructedAt,
    PaymentStatus Status,
    string? PaymentReference,
    string? FailureReason,
    DateTimeOffset? SettledAt);

/// <summary>
/// Refund instructions for the trade system to pay (docs/domain.md "Money"). A line's price goes back at most once,
/// however many returns and rulings would give it back, and never after the trade system refunded the line itself;
/// the plan's price at most once, as a plan is cancelled once. An instruction's id is derived from the line and what
/// the money is for, so the decision made again (a replayed message, a stream read afresh) names the same instruction.
/// </summary>
public static class RefundInstructions
{
    public const string Currency = "CNY";

    public static Guid LineRefundId(string orderId, string lineId) => NameBased(orderId, lineId, "line-refund");

    public static Guid PlanRefundId(string orderId, string lineId) => NameBased(orderId, lineId, "plan-refund");

    /// <summary>The line's price back to the buyer, unless it went back already or the price is not known.</summary>
    internal static IReadOnlyList<WarrantyFileEvent> LineRefund(
        WarrantyFile.Activated file, PaymentReason reason, Payer paidBy, Guid? claimId, string? caseId, DateTimeOffset at)
    {
        var instructionId = LineRefundId(file.OrderId, file.LineId);
        if (file.RefundedAt is not null || file.AmountPaid is not > 0 || file.PaymentById(instructionId) is not null)
            return [];
        return [new RefundInstructed(instructionId, reason, file.AmountPaid.Value, paidBy, claimId, caseId, at)];
    }

    internal static IReadOnlyList<WarrantyFileEvent> PlanRefund(string orderId, string lineId, ExtendedWarrantyCancelled cancelled) =>
        cancelled.Refund > 0
            ? [new RefundInstructed(PlanRefundId(orderId, lineId), PaymentReason.ExtendedWarrantyCancelled, cancelled.Refund,
                Payer.ExtendedWarrantyPlan, null, null, cancelled.At)]
            : [];

    /// <summary>
    /// Paid is final: the same confirmation again changes nothing. A failure may be followed by a payment, when the trade
    /// system's next attempt succeeds, but a failure reported after the payment contradicts it and is refused.
    /// </summary>
    internal static Decision<WarrantyFileEvent> Confirm(ConfirmPayment command, WarrantyFile.Activated file) =>
        Settled(command.InstructionId, command.Amount, command.Currency, file) switch
        {
            { } refused => refused,
            _ => file.PaymentById(command.InstructionId)!.Status == PaymentStatus.Paid
                ? Decide<WarrantyFileEvent>.Nothing
                : Decide<WarrantyFileEvent>.Accept(new PaymentConfirmed(command.InstructionId, command.PaymentReference, command.PaidAt, command.Now)),
        };

    internal static Decision<WarrantyFileEvent> Fail(RecordPaymentFailure command, WarrantyFile.Activated file)
    {
        if (Settled(command.InstructionId, command.Amount, command.Currency, file) is { } refused)
            return refused;
        var payment = file.PaymentById(command.InstructionId)!;
        return payment.Status switch
        {
            PaymentStatus.Paid => Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.PaymentAlreadyConfirmed,
                $"Instruction {command.InstructionId} was confirmed paid ({payment.PaymentReference}) at {payment.SettledAt:O}; a failure cannot follow."),
            PaymentStatus.Failed when payment.FailureReason == command.Reason && payment.SettledAt == command.FailedAt =>
                Decide<WarrantyFileEvent>.Nothing,
            _ => Decide<WarrantyFileEvent>.Accept(new PaymentFailed(command.InstructionId, command.Reason, command.FailedAt, command.Now)),
        };
    }

    /// <summary>An answer must name an instruction of this file and repeat its amount: anything else is not the payment it was told to make.</summary>
    private static Decision<WarrantyFileEvent>? Settled(Guid instructionId, decimal amount, string currency, WarrantyFile.Activated file) =>
        file.PaymentById(instructionId) switch
        {
            null => UnknownInstruction(instructionId),
            { } payment when payment.Amount != amount || !string.Equals(currency, Currency, StringComparison.Ordinal) =>
                Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.PaymentAmountMismatch,
                    $"Instruction {instructionId} is for {payment.Amount} {Currency}; the answer says {amount} {currency}."),
            _ => null,
        };

    internal static Decision<WarrantyFileEvent> UnknownInstruction(Guid instructionId) =>
        Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.UnknownPaymentInstruction,
            $"No refund instruction {instructionId} was given for this order line.");

    internal static WarrantyFile.Activated Evolve(WarrantyFile.Activated file, WarrantyFileEvent @event) => @event switch
    {
        RefundInstructed e => file with
        {
            Payments = file.Payments.Add(new PaymentRecord(e.InstructionId, e.Reason, e.Amount, e.PaidBy, e.ClaimId, e.CaseId, e.At,
                PaymentStatus.Instructed, null, null, null)),
            AppliedRulings = e.CaseId is null ? file.AppliedRulings : file.AppliedRulings.Add(e.CaseId),
        },
        PaymentConfirmed e => Update(file, e.InstructionId,
            p => p with { Status = PaymentStatus.Paid, PaymentReference = e.PaymentReference, FailureReason = null, SettledAt = e.PaidAt }),
        PaymentFailed e => Update(file, e.InstructionId,
            p => p with { Status = PaymentStatus.Failed, FailureReason = e.Reason, SettledAt = e.FailedAt }),
        _ => file,
    };

    private static WarrantyFile.Activated Update(WarrantyFile.Activated file, Guid instructionId, Func<PaymentRecord, PaymentRecord> change) =>
        file.PaymentById(instructionId) is { } payment ? file with { Payments = file.Payments.Replace(payment, change(payment)) } : file;

    // A name-based UUID (RFC 9562 version 8, the first bytes of the name's SHA-256): the same name always gives the same id.
    // The trade system's ids are free text, so they are escaped: "a/b" + "c" and "a" + "b/c" must not name the same thing.
    private static Guid NameBased(string orderId, string lineId, string purpose)
    {
        var name = $"{Uri.EscapeDataString(orderId)}/{Uri.EscapeDataString(lineId)}/{purpose}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash = hash[..16];
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
