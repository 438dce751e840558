using static Warranty.Domain.Tests.Time;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

public sealed class CoverageTests
{
    private static readonly BusinessCalendar Shanghai = BusinessCalendar.For("Asia/Shanghai");

    private static LocalPeriod PeriodOf(WarrantyActivated activated, CoverageKind kind) =>
        activated.Coverages.Single(c => c.Kind == kind).Period;

    [Fact]
    public void Worked_example_receipt_2023_03_08_national_12_months_plan_of_one_year()
    {
        var activation = Line.Activation(CategoryPolicy.HomeAppliances, nationalMonths: 12,
            plan: new ExtendedWarrantyPurchase(1, 199m, false), confirmedAt: "2023-03-08T20:00:00+08:00");

        var activated = (WarrantyActivated)Line.New().When(activation).Single();

        Assert.Equal(Day("2023-03-08"), activated.D0);
        var national = PeriodOf(activated, CoverageKind.NationalJointWarranty);
        Assert.Equal(Day("2024-03-08"), national.LastDay);
        var plan = PeriodOf(activated, CoverageKind.ExtendedWarranty);
        Assert.Equal(new LocalPeriod(Day("2024-03-09"), Day("2025-03-08"), At("2024-03-08T16:00:00Z"), At("2025-03-08T16:00:00Z")), plan);
        Assert.Equal(At("2024-03-09T00:00:00+08:00"), plan.Start);
        Assert.Equal(At("2025-03-08T23:59:59+08:00"), plan.LastSecond);
        Assert.Equal(national.End, plan.Start);
    }

    [Fact]
    public void Instants_are_shown_on_the_business_zone_clock_with_the_offset_in_force()
    {
        Assert.Equal("2024-03-09T00:00:00.0000000+08:00", Shanghai.LocalTimeOf(At("2024-03-08T16:00:00Z")).ToString("O"));
        var newYork = BusinessCalendar.For("America/New_York");
        Assert.Equal("2024-03-09T23:59:59.0000000-05:00", newYork.LocalTimeOf(At("2024-03-10T04:59:59Z")).ToString("O"));
        Assert.Equal("2024-03-10T23:59:59.0000000-04:00", newYork.LocalTimeOf(At("2024-03-11T03:59:59Z")).ToString("O"));
    }

    [Fact]
    public void D0_is_the_local_date_of_transaction_success_not_the_UTC_date()
    {
        // 2024-01-09T17:00Z is 2024-01-10 01:00 in Shanghai.
        var activated = (WarrantyActivated)Line.New().When(Line.Activation(confirmedAt: "2024-01-09T17:00:00Z")).Single();

        Assert.Equal(Day("2024-01-10"), activated.D0);
        Assert.Equal(
            new LocalPeriod(Day("2024-01-10"), Day("2024-01-16"), At("2024-01-09T16:00:00Z"), At("2024-01-16T16:00:00Z")),
            PeriodOf(activated, CoverageKind.ThreeGuaranteesReturn));
    }

    [Fact]
    public void A_phone_line_gets_every_table_coverage_in_table_order()
    {
        var activated = (WarrantyActivated)Line.New()
            .When(Line.Activation(nationalMonths: 12, merchantMonths: 18, plan: new(2, 299m, false)))
            .Single();

        Assert.Equal(
            [
                (CoverageKind.ThreeGuaranteesReturn, Day("2024-01-10"), Day("2024-01-16")),
                (CoverageKind.ThreeGuaranteesReplacement, Day("2024-01-10"), Day("2024-01-24")),
                (CoverageKind.ThreeGuaranteesRepair, Day("2024-01-10"), Day("2025-01-10")),
                (CoverageKind.NationalJointWarranty, Day("2024-01-10"), Day("2025-01-10")),
                (CoverageKind.MerchantCommitment, Day("2024-01-10"), Day("2025-07-10")),
                (CoverageKind.ExtendedWarranty, Day("2025-01-11"), Day("2027-01-10")),
            ],
            activated.Coverages.Select(c => (c.Kind, c.Period.FirstDay, c.Period.LastDay)));
    }

    [Fact]
    public void Long_discovery_categories_get_a_long_discovery_coverage_through_d0_plus_the_limit()
    {
        var activated = (WarrantyActivated)Line.New()
            .When(Line.Activation(CategoryPolicy.LiveAnimals, nationalMonths: 0, confirmedAt: "2024-04-01T09:00:00+08:00"))
            .Single();

        Assert.Equal(
            [CoverageKind.ThreeGuaranteesReturn, CoverageKind.ThreeGuaranteesReplacement, CoverageKind.LongDiscovery],
            activated.Coverages.Select(c => c.Kind));
        Assert.Equal(Day("2025-04-01"), PeriodOf(activated, CoverageKind.LongDiscovery).LastDay);
    }

    [Theory]
    [InlineData("2024-01-31", 1, "2024-02-29")]
    [InlineData("2024-02-29", 12, "2025-02-28")]
    [InlineData("2023-01-31", 1, "2023-02-28")]
    [InlineData("2024-03-31", 1, "2024-04-30")]
    [InlineData("2024-01-15", 12, "2025-01-15")]
    [InlineData("2023-08-31", 6, "2024-02-29")]
    public void Months_keep_the_day_number_and_clamp_to_the_month_end(string from, int months, string expected) =>
        Assert.Equal(Day(expected), Coverage.PlusMonths(Day(from), months));

    [Fact]
    public void A_national_warranty_from_January_31st_ends_on_the_last_day_of_February()
    {
        var period = Coverage.ThroughMonths(Shanghai, Day("2024-01-31"), 1);

        Assert.Equal(Day("2024-02-29"), period.LastDay);
        Assert.Equal(At("2024-03-01T00:00:00+08:00"), period.End);
    }

    [Fact]
    public void Base_end_is_national_else_three_guarantees_repair_else_d0()
    {
        var d0 = Day("2024-01-10");
        var national = Coverage.ThroughMonths(Shanghai, d0, 24);
        var repair = Coverage.ThroughMonths(Shanghai, d0, 12);

        Assert.Equal(Day("2026-01-10"), Coverage.BaseEnd(d0, national, repair));
        Assert.Equal(Day("2025-01-10"), Coverage.BaseEnd(d0, null, repair));
        Assert.Equal(d0, Coverage.BaseEnd(d0, null, null));
    }

    [Fact]
    public void A_plan_on_a_line_without_any_base_warranty_starts_the_day_after_d0()
    {
        var coverages = Coverage.ForLine(Shanghai, Day("2024-01-10"), new CoverageTerms(7, 15, 0, 0, 0, null, 1));

        Assert.Equal(
            new LocalPeriod(Day("2024-01-11"), Day("2025-01-10"), At("2024-01-11T00:00:00+08:00"), At("2025-01-11T00:00:00+08:00")),
            coverages.Single(c => c.Kind == CoverageKind.ExtendedWarranty).Period);
    }

    [Fact]
    public void A_plan_starting_on_February_29th_ends_one_day_short_as_the_formula_says()
    {
        // S + 1 year clamps to 2025-02-28, and the formula then takes a day off (see Coverage.ExtendedWarranty).
        var plan = Coverage.ExtendedWarranty(Shanghai, Day("2024-02-28"), 1);

        Assert.Equal(Day("2024-02-29"), plan.FirstDay);
        Assert.Equal(Day("2025-02-27"), plan.LastDay);
    }

    [Fact]
    public void Zero_months_or_days_give_no_coverage()
    {
        var coverages = Coverage.ForLine(Shanghai, Day("2024-01-10"), new CoverageTerms(0, 0, 0, 0, 0, null, null));

        Assert.Empty(coverages);
    }

    [Fact]
    public void Periods_in_a_DST_zone_begin_at_local_midnight_and_count_local_days_across_the_switch()
    {
        // New York springs forward on 2024-03-10 at 02:00: the 7 days 03-05..03-11 last 7 × 24 − 1 hours.
        var newYork = BusinessCalendar.For("America/New_York");

        var returnWindow = Coverage.FirstDays(newYork, Day("2024-03-05"), 7);

        Assert.Equal(At("2024-03-05T00:00:00-05:00"), returnWindow.Start);
        Assert.Equal(At("2024-03-12T00:00:00-04:00"), returnWindow.End);
        Assert.Equal(TimeSpan.FromHours((7 * 24) - 1), returnWindow.End - returnWindow.Start);
        Assert.Equal(At("2024-03-11T23:59:59-04:00"), returnWindow.LastSecond);
    }

    [Fact]
    public void Periods_in_London_gain_the_autumn_hour()
    {
        var london = BusinessCalendar.For("Europe/London");

        var window = Coverage.FirstDays(london, Day("2024-10-25"), 7);

        Assert.Equal(At("2024-10-24T23:00:00Z"), window.Start);
        Assert.Equal(At("2024-11-01T00:00:00Z"), window.End);
        Assert.Equal(TimeSpan.FromHours((7 * 24) + 1), window.End - window.Start);
    }

    [Fact]
    public void Where_midnight_does_not_exist_a_day_starts_at_its_first_instant()
    {
        // Santiago skipped 2023-09-03 00:00..01:00 local: the day begins at 01:00 (−03:00).
        var santiago = BusinessCalendar.For("America/Santiago");

        var day = santiago.Days(Day("2023-09-02"), Day("2023-09-02"));

        Assert.Equal(At("2023-09-02T00:00:00-04:00"), day.Start);
        Assert.Equal(At("2023-09-03T01:00:00-03:00"), day.End);
        Assert.Equal(Day("2023-09-03"), santiago.LocalDateOf(day.End));
        Assert.Equal(Day("2023-09-02"), santiago.LocalDateOf(day.LastSecond));
    }

    [Fact]
    public void An_unknown_zone_id_is_refused()
    {
        Assert.Throws<NodaTime.TimeZones.DateTimeZoneNotFoundException>(() => BusinessCalendar.For("Mars/Olympus_Mons"));
    }
}
