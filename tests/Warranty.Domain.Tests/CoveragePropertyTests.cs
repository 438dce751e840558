using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Warranty.Domain.Tests;

/// <summary>
/// The period arithmetic against models written without it: dates from day numbers, zone offsets straight from
/// the IANA data. Zones include ones with DST at 01:00/02:00 (London, New York, Sydney), at midnight (Santiago,
/// Beirut), a half-hour offset (Adelaide, Kolkata) and the business default (Shanghai).
/// </summary>
public sealed class CoveragePropertyTests
{
    private static readonly string[] Zones =
    [
        "Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago",
        "Asia/Beirut", "Australia/Adelaide", "Asia/Kolkata",
    ];

    private static readonly string[] DstZones = ["America/New_York", "Europe/London"];

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static readonly Gen<DateOnly> Dates =
        Gen.Choose(new DateOnly(2000, 1, 1).DayNumber, new DateOnly(2040, 12, 31).DayNumber).Select(DateOnly.FromDayNumber);

    private static readonly Gen<CoverageTerms> Terms =
        from returnDays in Gen.Choose(0, 30)
        from replaceDays in Gen.Choose(0, 30)
        from repairMonths in Gen.Choose(0, 36)
        from nationalMonths in Gen.Choose(0, 60)
        from merchantMonths in Gen.Choose(0, 60)
        from discovery in Gen.Choose(0, 730)
        from years in Gen.Choose(0, 3)
        select new CoverageTerms(returnDays, replaceDays, repairMonths, nationalMonths, merchantMonths,
            discovery == 0 ? null : discovery, years == 0 ? null : years);

    private static readonly Gen<(string Zone, DateOnly D0, CoverageTerms Terms)> Lines =
        from zone in Gen.Elements(Zones)
        from d0 in Dates
        from terms in Terms
        select (zone, d0, terms);

    private static void Check<T>(Gen<T> gen, Func<T, bool> property) =>
        Prop.ForAll(gen.ToArbitrary(), property).Check(Runs);

    [Fact]
    public void Every_coverage_starts_before_it_ends_and_on_its_first_day() =>
        Check(Lines, line =>
        {
            var calendar = BusinessCalendar.For(line.Zone);
            return Coverage.ForLine(calendar, line.D0, line.Terms).All(c =>
                c.Period.Start < c.Period.End
                && c.Period.FirstDay <= c.Period.LastDay
                && calendar.LocalDateOf(c.Period.Start) == c.Period.FirstDay
                && calendar.LocalDateOf(c.Period.Start.AddTicks(-1)) == c.Period.FirstDay.AddDays(-1));
        });

    [Fact]
    public void The_extended_plan_starts_exactly_one_local_day_after_the_base_warranty_ends() =>
        Check(Lines.Where(line => line.Terms.ExtendedWarrantyYears is not null), line =>
        {
            var calendar = BusinessCalendar.For(line.Zone);
            var coverages = Coverage.ForLine(calendar, line.D0, line.Terms);
            var plan = coverages.Single(c => c.Kind == CoverageKind.ExtendedWarranty).Period;
            var baseWarranty = coverages.FirstOrDefault(c => c.Kind == CoverageKind.NationalJointWarranty)
                               ?? coverages.FirstOrDefault(c => c.Kind == CoverageKind.ThreeGuaranteesRepair);
            var baseEnd = baseWarranty?.Period.LastDay ?? line.D0;
            var years = line.Terms.ExtendedWarrantyYears!.Value;
            return plan.FirstDay == baseEnd.AddDays(1)
                   && plan.Start == calendar.StartOf(baseEnd.AddDays(1))
                   && (baseWarranty is null || baseWarranty.Period.End == plan.Start)
                   && plan.LastDay == ModelPlusMonths(plan.FirstDay, 12 * years).AddDays(-1);
        });

    [Fact]
    public void Adding_months_keeps_the_day_number_clamped_to_the_month_end() =>
        Check(
            from day in Dates
            from months in Gen.Choose(0, 120)
            select (day, months),
            sample => Coverage.PlusMonths(sample.day, sample.months) == ModelPlusMonths(sample.day, sample.months));

    [Fact]
    public void Month_based_coverages_end_on_d0_plus_the_months() =>
        Check(Lines, line =>
        {
            var calendar = BusinessCalendar.For(line.Zone);
            var coverages = Coverage.ForLine(calendar, line.D0, line.Terms);
            return Expect(CoverageKind.ThreeGuaranteesRepair, line.Terms.RepairMonths)
                   && Expect(CoverageKind.NationalJointWarranty, line.Terms.ManufacturerWarrantyMonths)
                   && Expect(CoverageKind.MerchantCommitment, line.Terms.MerchantWarrantyMonths);

            bool Expect(CoverageKind kind, int months) =>
                coverages.FirstOrDefault(c => c.Kind == kind) is { } coverage
                    ? months > 0 && coverage.Period.LastDay == ModelPlusMonths(line.D0, months)
                    : months == 0;
        });

    [Fact]
    public void Day_counts_hold_across_DST_switches_and_boundaries_are_local_midnights() =>
        Check(
            from zone in Gen.Elements(DstZones)
            from d0 in Dates
            from days in Gen.Choose(1, 400)
            select (zone, d0, days),
            sample =>
            {
                var calendar = BusinessCalendar.For(sample.zone);
                var tz = DateTimeZoneProviders.Tzdb[sample.zone];
                var period = Coverage.FirstDays(calendar, sample.d0, sample.days);
                var startLocal = Instant.FromDateTimeOffset(period.Start).InZone(tz);
                var endLocal = Instant.FromDateTimeOffset(period.End).InZone(tz);
                // These zones switch at 01:00 or 02:00, so every local midnight exists.
                var offsetShift = startLocal.Offset.ToTimeSpan() - endLocal.Offset.ToTimeSpan();
                return startLocal.TimeOfDay == LocalTime.Midnight
                       && endLocal.TimeOfDay == LocalTime.Midnight
                       && startLocal.Date.ToDateOnly() == sample.d0
                       && endLocal.Date.ToDateOnly() == sample.d0.AddDays(sample.days)
                       && period.LastDay.DayNumber - period.FirstDay.DayNumber + 1 == sample.days
                       && period.End - period.Start == TimeSpan.FromDays(sample.days) + offsetShift;
            });

    [Fact]
    public void Periods_are_half_open_on_local_day_boundaries() =>
        Check(
            from zone in Gen.Elements(Zones)
            from first in Dates
            from length in Gen.Choose(0, 800)
            from probeDay in Gen.Choose(-3, length + 3)
            from probeSecond in Gen.Choose(-2 * 3600, 26 * 3600)
            select (zone, first, length, probeDay, probeSecond),
            sample =>
            {
                var calendar = BusinessCalendar.For(sample.zone);
                var period = calendar.Days(sample.first, sample.first.AddDays(sample.length));
                var probe = calendar.StartOf(sample.first.AddDays(sample.probeDay)).AddSeconds(sample.probeSecond);
                var probeDate = calendar.LocalDateOf(probe);
                return period.End == calendar.StartOf(period.LastDay.AddDays(1))
                       && period.Contains(period.Start)
                       && !period.Contains(period.End)
                       && period.Contains(period.LastSecond)
                       && period.Contains(probe) == (period.FirstDay <= probeDate && probeDate <= period.LastDay);
            });

    /// <summary>Month arithmetic by hand: same day number, clamped to the target month's length.</summary>
    private static DateOnly ModelPlusMonths(DateOnly day, int months)
    {
        var monthIndex = (day.Year * 12) + day.Month - 1 + months;
        var year = monthIndex / 12;
        var month = (monthIndex % 12) + 1;
        return new DateOnly(year, month, Math.Min(day.Day, DateTime.DaysInMonth(year, month)));
    }
}
