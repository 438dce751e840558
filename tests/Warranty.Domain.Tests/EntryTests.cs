using static Warranty.Domain.Tests.Time;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

public sealed class EntryTests
{
    private static readonly WarrantyPolicy NoProtection = WarrantyPolicy.Default with { AfterSalesProtection = false };
    private static RequestReopen Reopen(string at, FaultKind defect = FaultKind.QualityFault, Requester? by = null) =>
        Line.Reopen(at, defect, by);

    [Theory]
    [InlineData(CategoryPolicy.Clothing, "2024-01-25T23:59:59+08:00", "2024-01-26T00:00:00+08:00")]
    [InlineData(CategoryPolicy.Phones, "2024-07-08T23:59:59+08:00", "2024-07-09T00:00:00+08:00")]
    [InlineData(CategoryPolicy.HomeAppliances, "2024-07-08T23:59:59+08:00", "2024-07-09T00:00:00+08:00")]
    public void The_base_window_runs_15_or_180_days_after_d0(string category, string lastSecond, string firstSecondAfter)
    {
        var file = Line.Activated(category, nationalMonths: 0, policy: NoProtection).File;

        Assert.True(file.EntryOpenAt(At("2024-01-10T00:00:00+08:00")));
        Assert.True(file.EntryOpenAt(At(lastSecond)));
        Assert.False(file.EntryOpenAt(At(firstSecondAfter)));
    }

    [Theory]
    [InlineData(CategoryPolicy.Phones, 0, "2025-01-11T00:00:00+08:00")] // 三包 repair through 2025-01-10
    [InlineData(CategoryPolicy.Phones, 24, "2026-01-11T00:00:00+08:00")] // the commitment ends later
    [InlineData(CategoryPolicy.Phones, 3, "2025-01-11T00:00:00+08:00")] // the 三包 repair ends later
    [InlineData(CategoryPolicy.Clothing, 1, "2024-02-11T00:00:00+08:00")] // the commitment, past the 15-day window
    [InlineData(CategoryPolicy.Clothing, 0, "2024-01-26T00:00:00+08:00")] // nothing later: the base window
    [InlineData(CategoryPolicy.HomeAppliances, 2, "2025-01-11T00:00:00+08:00")]
    public void Under_after_sales_protection_the_entry_stays_open_while_three_guarantees_repair_or_commitment_runs(
        string category, int merchantMonths, string closesAt)
    {
        var file = Line.Activated(category, nationalMonths: 0, merchantMonths: merchantMonths).File;

        Assert.Equal(At(closesAt), file.EntryClosesAt);
        Assert.True(file.EntryOpenAt(At(closesAt).AddSeconds(-1)));
        Assert.False(file.EntryOpenAt(At(closesAt)));
    }

    [Fact]
    public void Days_in_repair_keep_the_protected_entry_open_with_the_three_guarantees_period()
    {
        var line = Line.Activated(nationalMonths: 0).RepairedOnce("2024-03-01T10:00:00+08:00", daysInRepair: 4);

        Assert.Equal(4, line.File.DaysInRepair);
        Assert.Equal(Day("2025-01-14"), line.File.CoverageOf(CoverageKind.ThreeGuaranteesRepair)!.Period.LastDay);
        Assert.Equal(At("2025-01-15T00:00:00+08:00"), line.File.EntryClosesAt);
    }

    [Fact]
    public void Within_the_three_guarantees_period_the_entry_reopens_for_15_days()
    {
        var line = Line.Activated(nationalMonths: 0, policy: NoProtection);

        var request = Reopen("2024-08-01T15:00:00+08:00");
        var events = line.When(request);

        var window = new LocalPeriod(Day("2024-08-01"), Day("2024-08-16"), At("2024-07-31T16:00:00Z"), At("2024-08-16T16:00:00Z"));
        Assert.Equal([new EntryReopened(ReopenGround.ThreeGuarantees, window, request.Request, null, At("2024-08-01T15:00:00+08:00"))], events);
        var file = line.Given([.. events]).File;
        Assert.True(file.EntryOpenAt(At("2024-08-16T23:59:59+08:00")));
        Assert.False(file.EntryOpenAt(At("2024-08-17T00:00:00+08:00")));
    }

    [Fact]
    public void Without_three_guarantees_repair_the_three_guarantees_period_is_the_replacement_window()
    {
        var policy = NoProtection with { BaseEntryDays = 5 };
        var line = Line.Activated(CategoryPolicy.Clothing, nationalMonths: 0, policy: policy);

        Assert.Equal(ReopenGround.ThreeGuarantees,
            Assert.IsType<EntryReopened>(Assert.Single(line.When(Reopen("2024-01-24T23:59:59+08:00")))).Ground);
        Assert.Equal(ReopenDenialReason.BeyondThreeGuaranteesAndCommitment,
            Assert.IsType<ReopenDenied>(Assert.Single(line.When(Reopen("2024-01-25T00:00:00+08:00")))).Reason);
    }

    [Fact]
    public void The_three_guarantees_period_counts_days_in_repair()
    {
        var line = Line.Activated(nationalMonths: 0, policy: NoProtection).RepairedOnce("2024-03-01T10:00:00+08:00", daysInRepair: 3);

        Assert.Equal(ReopenGround.ThreeGuarantees,
            Assert.IsType<EntryReopened>(Assert.Single(line.When(Reopen("2025-01-13T23:59:59+08:00")))).Ground);
        Assert.IsType<ReopenDenied>(Assert.Single(line.When(Reopen("2025-01-14T00:00:00+08:00"))));
    }

    [Fact]
    public void Beyond_three_guarantees_but_within_the_merchant_commitment_the_entry_reopens()
    {
        var line = Line.Activated(CategoryPolicy.Clothing, nationalMonths: 0, merchantMonths: 12, policy: NoProtection);

        var reopened = Assert.IsType<EntryReopened>(Assert.Single(line.When(Reopen("2025-01-10T23:59:59+08:00"))));

        Assert.Equal(ReopenGround.MerchantCommitment, reopened.Ground);
        Assert.Equal(Day("2025-01-25"), reopened.Window.LastDay);
        var late = Reopen("2025-01-11T00:00:00+08:00");
        Assert.Equal(new ReopenDenied(ReopenDenialReason.BeyondThreeGuaranteesAndCommitment, true, late.Request, late.Now),
            Assert.Single(line.When(late)));
    }

    [Fact]
    public void A_seed_that_never_sprouted_reopens_the_entry_through_customer_service()
    {
        var line = Line.Activated(CategoryPolicy.Seeds, nationalMonths: 0, confirmedAt: "2024-04-01T09:00:00+08:00");
        var customerService = Line.As(by: ActingParty.CustomerService);

        var reopened = Assert.IsType<EntryReopened>(Assert.Single(
            line.When(Reopen("2024-05-31T10:00:00+08:00", FaultKind.LongDiscoveryDefect, customerService))));

        Assert.Equal((ReopenGround.LongDiscovery, customerService), (reopened.Ground, reopened.Request!.Requester));
    }

    [Fact]
    public void A_hen_that_turns_out_a_rooster_reopens_on_the_limit_last_day_but_not_after()
    {
        var line = Line.Activated(CategoryPolicy.LiveAnimals, nationalMonths: 0, confirmedAt: "2024-04-01T09:00:00+08:00");

        Assert.IsType<EntryReopened>(Assert.Single(line.When(Reopen("2025-04-01T23:59:59+08:00", FaultKind.LongDiscoveryDefect))));
        var late = Reopen("2025-04-02T00:00:00+08:00", FaultKind.LongDiscoveryDefect);
        Assert.Equal(new ReopenDenied(ReopenDenialReason.LongDiscoveryLimitPassed, true, late.Request, late.Now),
            Assert.Single(line.When(late)));
    }

    [Fact]
    public void Long_discovery_needs_a_defect_of_that_kind()
    {
        var line = Line.Activated(CategoryPolicy.Plants, nationalMonths: 0, confirmedAt: "2024-04-01T09:00:00+08:00");

        var request = Reopen("2024-06-01T10:00:00+08:00", FaultKind.QualityFault);
        Assert.Equal(new ReopenDenied(ReopenDenialReason.NotLongDiscoveryDefect, true, request.Request, request.Now),
            Assert.Single(line.When(request)));
    }

    [Fact]
    public void Long_discovery_defects_reopen_nothing_in_other_categories()
    {
        var line = Line.Activated(CategoryPolicy.Clothing, nationalMonths: 0);

        Assert.Equal(ReopenDenialReason.BeyondThreeGuaranteesAndCommitment,
            Assert.IsType<ReopenDenied>(Assert.Single(line.When(Reopen("2024-06-01T10:00:00+08:00", FaultKind.LongDiscoveryDefect)))).Reason);
    }

    [Fact]
    public void Asking_to_reopen_an_open_entry_changes_nothing()
    {
        var line = Line.Activated();

        Assert.Empty(line.When(Reopen("2024-06-01T10:00:00+08:00")));
    }

    [Fact]
    public void Only_the_buyer_or_customer_service_for_the_buyer_may_ask_and_no_appeal_changes_that()
    {
        var line = Line.Activated(nationalMonths: 0, policy: NoProtection);

        var request = Reopen("2024-08-01T10:00:00+08:00", by: Line.As("buyer-2", ActingParty.CustomerService));
        Assert.Equal(new ReopenDenied(ReopenDenialReason.NotBuyer, false, request.Request, request.Now), Assert.Single(line.When(request)));
    }

    [Fact]
    public void A_refunded_line_is_not_reopened()
    {
        var line = Line.Activated(nationalMonths: 0, policy: NoProtection).Then(new RecordLineRefund(At("2024-03-01T10:00:00+08:00")));

        var request = Reopen("2024-08-01T10:00:00+08:00");
        Assert.Equal(new ReopenDenied(ReopenDenialReason.LineRefunded, false, request.Request, request.Now), Assert.Single(line.When(request)));
    }
}
