using Warranty.Domain;
using static Warranty.Service.ContractVocabulary;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Views;

/// <summary>
/// Whole local days as a buyer is shown them: from Start (the first day's 00:00:00) to End (the last day's
/// 23:59:59) on the business zone's clock with its offset, and the half-open UTC range they cover.
/// </summary>
public sealed record PeriodView(DateOnly FirstDay, DateOnly LastDay, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset StartsAt, DateTimeOffset EndsBefore)
{
    public static PeriodView From(LocalPeriod period, BusinessCalendar calendar) => new(
        period.FirstDay, period.LastDay, calendar.LocalTimeOf(period.Start), calendar.LocalTimeOf(period.LastSecond), period.Start, period.End);
}

public sealed record CoverageView(Contract.CoverageKind Kind, Contract.ResponsibleParty AnsweredBy, PeriodView Period);

/// <param name="Window">The base window, held open by 售后保 when it applies.</param>
/// <param name="Reopenings">Windows opened again on request or by a ruling.</param>
/// <param name="OpenNow">Whether a claim that needs the merchant can be filed at this moment.</param>
public sealed record EntryView(PeriodView Window, bool AfterSalesProtectionApplied, IReadOnlyList<PeriodView> Reopenings, bool OpenNow);

public sealed record CancellationView(decimal RefundAmount, Contract.RefundBasis RefundBasis, int RemainingDays, int TotalDays, DateTimeOffset CancelledAt);

public sealed record ExtendedWarrantyView(int PlanYears, decimal PricePaid, bool IncludesAccidentalDamage, PeriodView Period, CancellationView? Cancellation);

/// <summary>A refund the line's decisions instructed the trade system to pay, and its answer: Instructed until it answers.</summary>
public sealed record PaymentView(
    Guid InstructionId,
    PaymentReason Reason,
    decimal Amount,
    string Currency,
    Payer PaidBy,
    Guid? ClaimId,
    string? CaseId,
    DateTimeOffset InstructedAt,
    PaymentStatus Status,
    string? PaymentReference,
    string? FailureReason,
    DateTimeOffset? SettledAt)
{
    public static PaymentView From(PaymentRecord p) => new(
        p.InstructionId, p.Reason, p.Amount, RefundInstructions.Currency, p.PaidBy, p.ClaimId, p.CaseId, p.InstructedAt, p.Status,
        p.PaymentReference, p.FailureReason, p.SettledAt);
}

public sealed record ClaimSummary(Guid ClaimId, ClaimStatus Status, DateTimeOffset FiledAt);

/// <param name="LongDiscoveryWindow">For plants, seeds and live animals: the days a late-found defect can still reopen the entry.</param>
/// <param name="Claims">Every claim but those refused outright, which <paramref name="ClaimsRefusedOutright"/> counts.</param>
/// <param name="ClaimsRefusedOutright">Claims refused as not the buyer's, on a refunded line, or while another was open.</param>
/// <param name="Payments">Refunds instructed for the line (a return, a ruling, the plan), each as paid as the trade system says.</param>
public sealed record WarrantyView(
    string OrderId,
    string LineId,
    string BuyerId,
    string MerchantId,
    string Category,
    string Sku,
    string Title,
    string Brand,
    string ShippingRegion,
    string TimeZone,
    DateTimeOffset CompletedAt,
    DateOnly CompletedOn,
    IReadOnlyList<CoverageView> Coverages,
    EntryView AfterSalesEntry,
    PeriodView? LongDiscoveryWindow,
    ExtendedWarrantyView? ExtendedWarranty,
    DateTimeOffset? RefundedAt,
    IReadOnlyList<ClaimSummary> Claims,
    int ClaimsRefusedOutright,
    IReadOnlyList<PaymentView> Payments)
{
    public static WarrantyView From(WarrantyFile.Activated file, DateTimeOffset now)
    {
        var calendar = file.Calendar;
        PeriodView Show(LocalPeriod period) => PeriodView.From(period, calendar);
        // The extended plan leaves the coverages when cancelled, but the view still shows what was bought.
        var plan = file.ExtendedWarranty is { } bought
            ? new ExtendedWarrantyView(bought.Purchase.Years, bought.Purchase.Price, bought.Purchase.IncludesAccidentalDamage, Show(bought.Period),
                bought.Cancellation is { } c
                    ? new CancellationView(c.Refund, ToContract(c.Ground), c.RemainingDays, c.TotalDays, c.At)
                    : null)
            : null;
        return new WarrantyView(
            file.OrderId, file.LineId, file.BuyerId, file.MerchantId, file.Category,
            file.Details.Sku, file.Details.Title, file.Details.Brand, file.Details.ShippingRegion,
            file.TimeZoneId, file.TransactionSucceededAt, file.D0,
            [.. file.Coverages.Where(c => c.Kind != CoverageKind.LongDiscovery)
                .Select(c => new CoverageView(ToContract(c.Kind), ToContract(ClaimDecisions.AnswererOf(c.Kind, file)), Show(c.Period)))],
            new EntryView(Show(EntryWindow(file)), file.EntryClosesAt > file.BaseEntry.End, [.. file.Reopenings.Select(Show)], file.EntryOpenAt(now)),
            file.CoverageOf(CoverageKind.LongDiscovery) is { } longDiscovery ? Show(longDiscovery.Period) : null,
            plan,
            file.RefundedAt,
            [.. file.Claims.Select(c => new ClaimSummary(c.ClaimId, c.Status, c.Filing.FiledAt))],
            file.RefusedOutright.Count,
            [.. file.Payments.Select(PaymentView.From)]);
    }
}
