using System.Text.Json.Serialization;

namespace Warranty.Domain;

/// <summary>
/// What the claim said when it was filed; kept on both the approval and the rejection. FiledAt is when the buyer
/// asked, the instant the claim is adjudicated as of; ReceivedAt is when the platform received a claim filed in
/// another system, from which the platform's own deadlines run (null: filed here, received at FiledAt).
/// </summary>
public sealed record ClaimFiling(
    Requester Claimant,
    FaultKind Fault,
    string Description,
    Remedy RemedyAsked,
    IReadOnlyList<string> Evidence,
    DateTimeOffset FiledAt,
    // Left out when null, so filings stored before it read and write back as they were.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ReceivedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BuyerContact? Contact = null);

public abstract record WarrantyFileEvent
{
    private WarrantyFileEvent() { }

    /// <summary>
    /// Carries the computed coverages and entry window, not just their inputs, so a later change of policy or
    /// time-zone data never moves the periods a buyer was promised. AmountPaid is what the buyer paid for the line
    /// (unit price × quantity), the refund a return or a ruling gives back; files activated before it was kept have none.
    /// </summary>
    public sealed record WarrantyActivated(
        string OrderId,
        string LineId,
        string BuyerId,
        string MerchantId,
        string Category,
        LineDetails Details,
        string TimeZoneId,
        DateTimeOffset TransactionSucceededAt,
        DateOnly D0,
        IReadOnlyList<CoveragePeriod> Coverages,
        LocalPeriod BaseEntry,
        bool AfterSalesProtection,
        ExtendedWarrantyPurchase? ExtendedWarranty,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? AmountPaid = null) : WarrantyFileEvent;

    /// <summary>An OrderCompleted line that contradicts the rules (a 4-year plan, money below zero), kept with why.</summary>
    public sealed record WarrantyActivationRefused(string Reason) : WarrantyFileEvent;

    public sealed record LineRefunded(DateTimeOffset At) : WarrantyFileEvent;

    /// <summary>
    /// Request is the request granted. For a ruling CaseId is set, and Request is what the case grew from: the
    /// denied reopen request appealed, or the claim (its id, claimant and fault), so that the announcement can
    /// name who asked and for what.
    /// </summary>
    public sealed record EntryReopened(
        ReopenGround Ground,
        LocalPeriod Window,
        ReopenRequest? Request,
        string? CaseId,
        DateTimeOffset At) : WarrantyFileEvent;

    public sealed record ReopenDenied(
        ReopenDenialReason Reason,
        bool AppealPossible,
        ReopenRequest Request,
        DateTimeOffset At) : WarrantyFileEvent;

    /// <summary>Filing.RemedyAsked records what was asked when Remedy is a downgrade or a repeat-repair replacement.</summary>
    public sealed record ClaimApproved(
        Guid ClaimId,
        ClaimFiling Filing,
        CoverageKind Coverage,
        Remedy Remedy,
        Answerer Answerer,
        ShippingPayer ShippingPaidBy,
        bool RepeatRepairReplacement) : WarrantyFileEvent;

    public sealed record ClaimRejected(
        Guid ClaimId,
        ClaimFiling Filing,
        RejectionReason Reason,
        bool ReopenCanHelp,
        bool AppealCanHelp) : WarrantyFileEvent;

    /// <summary>Follows ClaimApproved when the merchant answers; the service schedules the deadline at RespondBy.</summary>
    public sealed record ClaimAwaitingMerchant(Guid ClaimId, string MerchantId, DateTimeOffset RespondBy) : WarrantyFileEvent;

    /// <summary>BySilence: the deadline passed first and the platform accepted on the merchant's behalf (At = the deadline).</summary>
    public sealed record ClaimAcceptedByMerchant(Guid ClaimId, bool BySilence, DateTimeOffset At) : WarrantyFileEvent;

    public sealed record ClaimRefusedByMerchant(Guid ClaimId, string Reason, IReadOnlyList<string> Evidence, DateTimeOffset At) : WarrantyFileEvent;

    public sealed record ClaimEscalated(Guid ClaimId, string Statement, IReadOnlyList<string> Evidence, DateTimeOffset At) : WarrantyFileEvent;

    /// <summary>
    /// Closes a claim. DaysInRepair counts whole local days from the start of service to completion;
    /// WithinThreeGuaranteesRepair says the repair began inside the 三包 repair period, so its days extend that
    /// period and, when Repaired, it counts towards the repeat-repair replacement. ThreeGuaranteesRepairPeriod is
    /// that period as the days in repair extended it, decided once, so that a fold never recomputes it with another
    /// time-zone database; events stored before it was carried have none.
    /// </summary>
    public sealed record ClaimResolved(
        Guid ClaimId,
        ClaimResolution How,
        DateTimeOffset At,
        RepairOutcome? Outcome = null,
        RulingDecision? Ruling = null,
        string? CaseId = null,
        int DaysInRepair = 0,
        bool WithinThreeGuaranteesRepair = false,
        Guid? JobId = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalPeriod? ThreeGuaranteesRepairPeriod = null) : WarrantyFileEvent;

    public sealed record ExtendedWarrantyCancelled(
        decimal Refund,
        CancellationGround Ground,
        int RemainingDays,
        int TotalDays,
        DateTimeOffset At) : WarrantyFileEvent;

    /// <summary>
    /// Money the trade system is to pay the buyer (docs/domain.md "Money"), published as Payments.V1 RefundInstructed.
    /// CaseId names the ruling that ordered it, which it counts as applied.
    /// </summary>
    public sealed record RefundInstructed(
        Guid InstructionId,
        PaymentReason Reason,
        decimal Amount,
        Payer PaidBy,
        Guid? ClaimId,
        string? CaseId,
        DateTimeOffset At) : WarrantyFileEvent;

    /// <summary>The trade system paid the instruction at PaidAt; At is when the platform heard it.</summary>
    public sealed record PaymentConfirmed(Guid InstructionId, string PaymentReference, DateTimeOffset PaidAt, DateTimeOffset At) : WarrantyFileEvent;

    /// <summary>The trade system could not pay the instruction; it may still confirm it later.</summary>
    public sealed record PaymentFailed(Guid InstructionId, string Reason, DateTimeOffset FailedAt, DateTimeOffset At) : WarrantyFileEvent;
}
