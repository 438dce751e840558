namespace Warranty.Domain;

/// <summary>
/// Everything that can be asked of one order line's warranty file. Time is always carried in (Now, or the
/// transaction success time): the decider never reads a clock.
/// </summary>
public abstract record WarrantyFileCommand
{
    private WarrantyFileCommand() { }

    /// <summary>From OrderCompleted: the line's transaction succeeded (d0 is its local date). AmountPaid is unit price × quantity.</summary>
    public sealed record ActivateWarranty(
        string OrderId,
        string LineId,
        string BuyerId,
        string MerchantId,
        string Category,
        LineDetails Details,
        int ManufacturerWarrantyMonths,
        int MerchantWarrantyMonths,
        ExtendedWarrantyPurchase? ExtendedWarranty,
        DateTimeOffset TransactionSucceededAt,
        decimal? AmountPaid = null) : WarrantyFileCommand;

    /// <summary>From OrderLineRefunded; may arrive before the activation.</summary>
    public sealed record RecordLineRefund(DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>The buyer or customer service asks to reopen a closed after-sales entry, naming the defect.</summary>
    public sealed record RequestReopen(ReopenRequest Request, DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>
    /// Now is when the buyer asked, the instant the claim is adjudicated as of. ReceivedAt is the platform's clock
    /// when a claim filed in another system (ClaimFiled) arrived; null when it was filed here, at Now.
    /// </summary>
    public sealed record FileClaim(
        Guid ClaimId,
        Requester Claimant,
        FaultKind Fault,
        string Description,
        Remedy RemedyAsked,
        IReadOnlyList<string> Evidence,
        DateTimeOffset Now,
        DateTimeOffset? ReceivedAt = null,
        BuyerContact? Contact = null) : WarrantyFileCommand;

    public sealed record AcceptClaim(Guid ClaimId, DateTimeOffset Now) : WarrantyFileCommand;

    public sealed record RefuseClaim(Guid ClaimId, string Reason, IReadOnlyList<string> Evidence, DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>The scheduled message at ClaimAwaitingMerchant.RespondBy.</summary>
    public sealed record CheckMerchantResponseDeadline(Guid ClaimId, DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>The buyer takes a refused claim to arbitration, stating their case.</summary>
    public sealed record EscalateClaim(Guid ClaimId, string Statement, IReadOnlyList<string> Evidence, DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>JobId names the repair job that reported it; null when the answering merchant repaired the item itself.</summary>
    public sealed record CompleteRepair(Guid ClaimId, RepairOutcome Outcome, DateTimeOffset Now, Guid? JobId = null) : WarrantyFileCommand;

    public sealed record AcceptReturn(Guid ClaimId, DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>
    /// An arbitrator's final ruling, on a claim or (ClaimId null) on the denied reopen request ReopenRequestId names.
    /// LoserPays is the respondent, who pays a refund the ruling orders: the merchant, or the platform for its repair operations.
    /// </summary>
    public sealed record ApplyRuling(
        string CaseId, Guid? ClaimId, RulingDecision Decision, DateTimeOffset Now, Guid? ReopenRequestId = null, Payer LoserPays = Payer.Merchant)
        : WarrantyFileCommand;

    public sealed record CancelExtendedWarranty(DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>The trade system's PaymentConfirmed, with the amount and currency it says it paid.</summary>
    public sealed record ConfirmPayment(
        Guid InstructionId, decimal Amount, string Currency, string PaymentReference, DateTimeOffset PaidAt, DateTimeOffset Now) : WarrantyFileCommand;

    /// <summary>The trade system's PaymentFailed.</summary>
    public sealed record RecordPaymentFailure(
        Guid InstructionId, decimal Amount, string Currency, string Reason, DateTimeOffset FailedAt, DateTimeOffset Now) : WarrantyFileCommand;
}
