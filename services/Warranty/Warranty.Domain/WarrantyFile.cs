using System.Collections.Immutable;
using System.Text.Json.Serialization;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain;

/// <summary>One claim as the file holds it. MerchantRefusal is the merchant's reason, which an escalation carries to arbitration.</summary>
public sealed record ClaimRecord(
    Guid ClaimId,
    ClaimFiling Filing,
    ClaimStatus Status,
    CoverageKind? Coverage,
    Remedy? Remedy,
    Answerer? Answerer,
    DateTimeOffset? RespondBy,
    DateTimeOffset? InServiceSince,
    string? MerchantRefusal)
{
    [JsonIgnore]
    public bool IsOpen => Status is ClaimStatus.AwaitingMerchant or ClaimStatus.InService
        or ClaimStatus.RefusedByMerchant or ClaimStatus.Escalated;
}

/// <summary>
/// RepairPaidUnderPlan turns true when a claim is approved under the plan: from then the programme owes the
/// repair, so a cancellation must not also refund the unused days.
/// </summary>
public sealed record ExtendedWarrantyPlan(
    ExtendedWarrantyPurchase Purchase,
    LocalPeriod Period,
    bool RepairPaidUnderPlan,
    ExtendedWarrantyCancelled? Cancellation);

/// <summary>
/// One order line's warranty file, the aggregate. Claims live inside it rather than in streams of their own:
/// "one open claim per line" and "two earlier repairs of this line → replacement" are rules over all of a
/// line's claims, and inside one stream they are checked by a pure Decide against one consistent state under
/// the stream's optimistic concurrency. Separate claim streams would need a cross-stream reservation or a
/// process manager, and two concurrent filings could both see "no open claim".
/// </summary>
// A file's state is kept in snapshots of its stream, so each case needs a stored name.
[JsonPolymorphic]
[JsonDerivedType(typeof(NotActivated), "not-activated")]
[JsonDerivedType(typeof(Activated), "activated")]
public abstract record WarrantyFile
{
    private WarrantyFile() { }

    public static WarrantyFile Initial { get; } = new NotActivated(null, null);

    /// <summary>No OrderCompleted yet. A refund that arrives first is kept here and honoured at activation.</summary>
    public sealed record NotActivated(DateTimeOffset? RefundedAt, string? RefusalReason) : WarrantyFile;

    /// <param name="Claims">Every claim but those refused outright.</param>
    /// <param name="RefusedOutright">
    /// Claims refused outright (not the buyer, a refunded line, another claim open), by id alone: nothing can change them
    /// and a buyer can file them without end, so the file keeps no more of them than it needs to recognise one sent again.
    /// Their events still tell them in full.
    /// </param>
    public sealed record Activated(
        string OrderId,
        string LineId,
        string BuyerId,
        string MerchantId,
        string Category,
        LineDetails Details,
        string TimeZoneId,
        DateTimeOffset TransactionSucceededAt,
        DateOnly D0,
        ImmutableList<CoveragePeriod> Coverages,
        LocalPeriod BaseEntry,
        bool AfterSalesProtection,
        ImmutableList<LocalPeriod> Reopenings,
        ExtendedWarrantyPlan? ExtendedWarranty,
        ImmutableList<ClaimRecord> Claims,
        int ThreeGuaranteesRepairs,
        int DaysInRepair,
        DateTimeOffset? RefundedAt,
        ImmutableHashSet<string> AppliedRulings,
        ImmutableList<ReopenRequest> AppealableDenials,
        ImmutableHashSet<Guid> RefusedOutright) : WarrantyFile
    {
        /// <summary>What the buyer paid for the line; null on a file activated before it was kept.</summary>
        public decimal? AmountPaid { get; init; }

        /// <summary>Refunds instructed for this line, with the trade system's answers; kept out of the constructor so older snapshots read.</summary>
        public ImmutableList<PaymentRecord> Payments { get; init; } = [];

        public PaymentRecord? PaymentById(Guid instructionId) => Payments.Find(p => p.InstructionId == instructionId);

        [JsonIgnore]
        public BusinessCalendar Calendar => BusinessCalendar.For(TimeZoneId);

        /// <summary>Coverages the buyer still holds; the 三包 repair period already includes days spent in repair.</summary>
        public CoveragePeriod? CoverageOf(CoverageKind kind) => Coverages.Find(c => c.Kind == kind);

        [JsonIgnore]
        public bool HasNationalWarranty => CoverageOf(CoverageKind.NationalJointWarranty) is not null;

        [JsonIgnore]
        public ClaimRecord? OpenClaim => Claims.Find(c => c.IsOpen);

        public ClaimRecord? ClaimById(Guid claimId) => Claims.Find(c => c.ClaimId == claimId);

        /// <summary>Whether a claim with this id was filed on the file, whatever became of it.</summary>
        public bool Knows(Guid claimId) => RefusedOutright.Contains(claimId) || ClaimById(claimId) is not null;

        /// <summary>
        /// The 三包 period is d0 to the latest end among the 三包 coverages (return, replacement, repair with its
        /// repair-day extension). Taking the latest end is deliberate: while any statutory remedy is left the
        /// buyer has a legal right that only the entry lets them use, and a category without 三包 repair (0
        /// months) still has its 15-day replacement right, so its 三包 period is those 15 days, not nothing.
        /// All 三包 coverages start at d0, so the latest one is the whole period.
        /// </summary>
        [JsonIgnore]
        public LocalPeriod? ThreeGuaranteesPeriod =>
            Coverages
                .Where(c => c.Kind is CoverageKind.ThreeGuaranteesReturn or CoverageKind.ThreeGuaranteesReplacement
                    or CoverageKind.ThreeGuaranteesRepair)
                .Select(c => c.Period)
                .MaxBy(p => p.End);

        /// <summary>
        /// The base window, held open under 售后保 while the 三包 repair period or the merchant commitment runs,
        /// whichever ends later, when that is later. Computed from the current coverages, so days in repair that
        /// extend the 三包 repair period keep the entry open with it.
        /// </summary>
        [JsonIgnore]
        public DateTimeOffset EntryClosesAt
        {
            get
            {
                var end = BaseEntry.End;
                if (!AfterSalesProtection)
                    return end;
                foreach (var kind in (ReadOnlySpan<CoverageKind>)[CoverageKind.ThreeGuaranteesRepair, CoverageKind.MerchantCommitment])
                {
                    if (CoverageOf(kind) is { } coverage && coverage.Period.End > end)
                        end = coverage.Period.End;
                }

                return end;
            }
        }

        public bool EntryOpenAt(DateTimeOffset instant) =>
            (BaseEntry.Start <= instant && instant < EntryClosesAt) || Reopenings.Exists(r => r.Contains(instant));
    }

    public static WarrantyFile Evolve(WarrantyFile state, WarrantyFileEvent @event) =>
        (state, @event) switch
        {
            (NotActivated pending, WarrantyActivated e) => Activate(pending, e),
            (NotActivated pending, WarrantyActivationRefused e) => pending with { RefusalReason = e.Reason },
            (NotActivated pending, LineRefunded e) => pending with { RefundedAt = e.At },
            (Activated file, LineRefunded e) => file with { RefundedAt = e.At },
            (Activated file, EntryReopened e) => file with
            {
                Reopenings = file.Reopenings.Add(e.Window),
                AppliedRulings = e.CaseId is null ? file.AppliedRulings : file.AppliedRulings.Add(e.CaseId),
            },
            (Activated file, ClaimApproved e) => Approve(file, e),
            (Activated file, ClaimRejected e) when ClaimDecisions.IsRefusedOutright(e.Reason) =>
                file with { RefusedOutright = file.RefusedOutright.Add(e.ClaimId) },
            (Activated file, ClaimRejected e) => file with
            {
                Claims = file.Claims.Add(new(e.ClaimId, e.Filing, ClaimStatus.Rejected, null, null, null, null, null, null)),
            },
            (Activated file, ClaimAwaitingMerchant e) => Update(file, e.ClaimId, c => c with { RespondBy = e.RespondBy }),
            (Activated file, ClaimAcceptedByMerchant e) =>
                Update(file, e.ClaimId, c => c with { Status = ClaimStatus.InService, InServiceSince = e.At }),
            (Activated file, ClaimRefusedByMerchant e) =>
                Update(file, e.ClaimId, c => c with { Status = ClaimStatus.RefusedByMerchant, MerchantRefusal = e.Reason }),
            (Activated file, ClaimEscalated e) => Update(file, e.ClaimId, c => c with { Status = ClaimStatus.Escalated }),
            (Activated file, ClaimResolved e) => Resolve(file, e),
            (Activated file, ExtendedWarrantyCancelled e) => file with
            {
                Coverages = file.Coverages.RemoveAll(c => c.Kind == CoverageKind.ExtendedWarranty),
                ExtendedWarranty = file.ExtendedWarranty is { } plan ? plan with { Cancellation = e } : null,
            },
            (Activated file, RefundInstructed or PaymentConfirmed or PaymentFailed) => RefundInstructions.Evolve(file, @event),
            // A denial that may be appealed is kept: a ruling on the appeal reopens the entry for that request.
            (Activated file, ReopenDenied { AppealPossible: true } e) => file with { AppealableDenials = file.AppealableDenials.Add(e.Request) },
            // Any other denial records an answer without changing what the file allows.
            _ => state,
        };

    private static Activated Activate(NotActivated pending, WarrantyActivated e)
    {
        var coverages = e.Coverages.ToImmutableList();
        var plan = e.ExtendedWarranty is { } purchase
                   && coverages.Find(c => c.Kind == CoverageKind.ExtendedWarranty) is { } extended
            ? new ExtendedWarrantyPlan(purchase, extended.Period, RepairPaidUnderPlan: false, Cancellation: null)
            : null;
        return new Activated(
            e.OrderId, e.LineId, e.BuyerId, e.MerchantId, e.Category, e.Details, e.TimeZoneId, e.TransactionSucceededAt, e.D0,
            coverages, e.BaseEntry, e.AfterSalesProtection, Reopenings: [], plan, Claims: [],
            ThreeGuaranteesRepairs: 0, DaysInRepair: 0, pending.RefundedAt, AppliedRulings: [], AppealableDenials: [], RefusedOutright: [])
        {
            AmountPaid = e.AmountPaid,
        };
    }

    private static Activated Approve(Activated file, ClaimApproved e)
    {
        var waitsForMerchant = e.Answerer == Answerer.Merchant;
        var claim = new ClaimRecord(
            e.ClaimId, e.Filing,
            waitsForMerchant ? ClaimStatus.AwaitingMerchant : ClaimStatus.InService,
            e.Coverage, e.Remedy, e.Answerer,
            RespondBy: null,
            InServiceSince: waitsForMerchant ? null : e.Filing.FiledAt,
            MerchantRefusal: null);
        return file with
        {
            Claims = file.Claims.Add(claim),
            ExtendedWarranty = e.Coverage == CoverageKind.ExtendedWarranty && file.ExtendedWarranty is { } plan
                ? plan with { RepairPaidUnderPlan = true }
                : file.ExtendedWarranty,
        };
    }

    private static Activated Resolve(Activated file, ClaimResolved e)
    {
        var resolved = Update(file, e.ClaimId, c => c with { Status = ClaimStatus.Resolved });
        var coverages = resolved.Coverages;
        if (e.WithinThreeGuaranteesRepair && e.DaysInRepair > 0
            && resolved.CoverageOf(CoverageKind.ThreeGuaranteesRepair) is { } repair)
        {
            // 三包: time the item spends in repair does not count against the 三包 repair period. The event says
            // what the period became; only one stored before it carried the period is worked out here, as it was then.
            var period = e.ThreeGuaranteesRepairPeriod
                         ?? resolved.Calendar.Days(repair.Period.FirstDay, repair.Period.LastDay.AddDays(e.DaysInRepair));
            coverages = coverages.Replace(repair, repair with { Period = period });
        }

        var countsAsRepair = e.WithinThreeGuaranteesRepair
                             && e is { How: ClaimResolution.RepairCompleted, Outcome: RepairOutcome.Repaired };
        return resolved with
        {
            Coverages = coverages,
            DaysInRepair = resolved.DaysInRepair + e.DaysInRepair,
            ThreeGuaranteesRepairs = resolved.ThreeGuaranteesRepairs + (countsAsRepair ? 1 : 0),
            AppliedRulings = e.CaseId is null ? resolved.AppliedRulings : resolved.AppliedRulings.Add(e.CaseId),
        };
    }

    private static Activated Update(Activated file, Guid claimId, Func<ClaimRecord, ClaimRecord> change) =>
        file.ClaimById(claimId) is { } claim
            ? file with { Claims = file.Claims.Replace(claim, change(claim)) }
            : file;
}
