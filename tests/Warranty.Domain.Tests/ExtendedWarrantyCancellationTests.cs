using FsCheck;
using FsCheck.Fluent;
using static Warranty.Domain.Tests.Time;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

/// <summary>The "phone" line's plan runs 2025-01-11..2026-01-10: 365 days for ¥199.</summary>
public sealed class ExtendedWarrantyCancellationTests
{
    private static readonly ExtendedWarrantyPurchase Plan = new(1, 199m, false);

    private static Line Phone() => Line.Activated(plan: Plan);

    [Fact]
    public void Before_the_plan_starts_the_refund_is_full()
    {
        var now = At("2025-01-10T23:59:59+08:00");

        Assert.Equal([new ExtendedWarrantyCancelled(199m, CancellationGround.BeforeStart, 365, 365, now)],
            Phone().When(new CancelExtendedWarranty(now)).OfType<ExtendedWarrantyCancelled>());
    }

    [Fact]
    public void On_its_first_day_the_refund_is_pro_rata_with_that_day_used()
    {
        var now = At("2025-01-11T00:00:00+08:00");

        // 199 × 364 / 365 = 198.4547… → 198.45
        Assert.Equal([new ExtendedWarrantyCancelled(198.45m, CancellationGround.ProRata, 364, 365, now)],
            Phone().When(new CancelExtendedWarranty(now)).OfType<ExtendedWarrantyCancelled>());
    }

    [Fact]
    public void Mid_plan_the_refund_follows_the_remaining_days()
    {
        var now = At("2025-07-01T10:00:00+08:00");

        // 2025-07-02..2026-01-10 is 193 days: 199 × 193 / 365 = 105.2246… → 105.22
        Assert.Equal([new ExtendedWarrantyCancelled(105.22m, CancellationGround.ProRata, 193, 365, now)],
            Phone().When(new CancelExtendedWarranty(now)).OfType<ExtendedWarrantyCancelled>());
    }

    [Theory]
    [InlineData(1.83, 0.01)] // 0.005: half away from zero gives a fen, banker's rounding would give nothing
    [InlineData(9.15, 0.03)] // 0.025: banker's would give 0.02
    [InlineData(3.66, 0.01)]
    public void Amounts_are_rounded_to_the_fen_half_away_from_zero(double price, double expected)
    {
        // d0 2023-01-10: the plan runs 2024-01-11..2025-01-10, 366 days across 2024-02-29; one day is left on 2025-01-09.
        var line = Line.Activated(plan: new ExtendedWarrantyPurchase(1, (decimal)price, false), confirmedAt: "2023-01-10T10:00:00+08:00");

        var cancelled = Assert.IsType<ExtendedWarrantyCancelled>(Assert.Single(line.When(new CancelExtendedWarranty(At("2025-01-09T10:00:00+08:00"))).OfType<ExtendedWarrantyCancelled>()));

        Assert.Equal((1, 366, (decimal)expected), (cancelled.RemainingDays, cancelled.TotalDays, cancelled.Refund));
    }

    [Fact]
    public void After_a_repair_paid_under_the_plan_nothing_is_refunded()
    {
        var line = Phone().Then(Line.Claim("2025-03-01T10:00:00+08:00"));
        var now = At("2025-07-01T10:00:00+08:00");

        Assert.Equal([new ExtendedWarrantyCancelled(0m, CancellationGround.AfterPaidRepair, 193, 365, now)],
            line.When(new CancelExtendedWarranty(now)).OfType<ExtendedWarrantyCancelled>());
    }

    [Fact]
    public void A_repair_under_another_coverage_does_not_count_against_the_plan()
    {
        var claim = Line.Claim("2024-06-01T10:00:00+08:00");
        var line = Phone().Then(claim).Then(new CompleteRepair(claim.ClaimId, RepairOutcome.Repaired, At("2024-06-03T10:00:00+08:00")));

        Assert.Equal(CancellationGround.ProRata,
            Assert.IsType<ExtendedWarrantyCancelled>(Assert.Single(line.When(new CancelExtendedWarranty(At("2025-07-01T10:00:00+08:00"))).OfType<ExtendedWarrantyCancelled>())).Ground);
    }

    [Fact]
    public void A_plan_that_is_over_absent_or_already_cancelled_is_not_cancelled_again()
    {
        Assert.Empty(Phone().When(new CancelExtendedWarranty(At("2026-01-11T00:00:00+08:00"))));
        Assert.Empty(Line.Activated().When(new CancelExtendedWarranty(At("2024-06-01T10:00:00+08:00"))));
        var cancelled = Phone().Then(new CancelExtendedWarranty(At("2024-06-01T10:00:00+08:00")));
        Assert.Empty(cancelled.When(new CancelExtendedWarranty(At("2024-06-02T10:00:00+08:00"))));
        Assert.Empty(cancelled.When(new RecordLineRefund(At("2024-06-03T10:00:00+08:00"))).OfType<ExtendedWarrantyCancelled>());
    }

    [Fact]
    public void A_cancelled_plan_covers_nothing()
    {
        var line = Phone().Then(new CancelExtendedWarranty(At("2024-06-01T10:00:00+08:00")));

        Assert.Null(line.File.CoverageOf(CoverageKind.ExtendedWarranty));
        Assert.Equal(Outcome.Rejected(RejectionReason.OutOfWarranty, false, true), Outcome.Of(line.When(Line.Claim("2025-06-01T10:00:00+08:00"))));
    }

    [Fact]
    public void A_later_cancellation_never_refunds_more_and_never_more_than_the_price()
    {
        var plan = Phone().File.ExtendedWarranty!;
        var days = Gen.Choose(-30, 400).Select(offset => plan.Period.FirstDay.AddDays(offset));

        Prop.ForAll(days.Two().ToArbitrary(), pair =>
        {
            var (a, b) = pair.Item1 <= pair.Item2 ? (pair.Item1, pair.Item2) : (pair.Item2, pair.Item1);
            var earlier = ExtendedWarrantyRefund.Quote(plan, a).Amount;
            var later = ExtendedWarrantyRefund.Quote(plan, b).Amount;
            return later <= earlier && earlier <= plan.Purchase.Price && later >= 0m;
        }).QuickCheckThrowOnFailure();
    }
}
