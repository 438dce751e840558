using NodaTime;

namespace Warranty.Domain;

/// <summary>The coverages of docs/domain.md's table, in the table's order: adjudication takes the first that fits.</summary>
public enum CoverageKind
{
    ThreeGuaranteesReturn,
    ThreeGuaranteesReplacement,
    ThreeGuaranteesRepair,
    NationalJointWarranty,
    MerchantCommitment,
    ExtendedWarranty,

    /// <summary>
    /// Not a row of docs/domain.md's table: it fills the gap the seed leaves for long-discovery categories. The seed
    /// reopens the entry for a seed that never sprouted and then has the merchant take it back; without a
    /// coverage of its own such a claim would find every 三包 window long closed and be rejected, which would
    /// make the reopening pointless. It comes last so that it never displaces a table coverage.
    /// </summary>
    LongDiscovery,
}

/// <summary>
/// Whole local days FirstDay..LastDay, stored as the UTC half-open range [Start, End): Start is FirstDay's first
/// instant, End is the first instant of the day after LastDay. Instants are DateTimeOffsets at offset zero so the
/// records serialise with System.Text.Json without a NodaTime converter.
/// </summary>
public sealed record LocalPeriod(DateOnly FirstDay, DateOnly LastDay, DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset instant) => Start <= instant && instant < End;

    /// <summary>What a buyer is shown as the end: LastDay 23:59:59 local.</summary>
    public DateTimeOffset LastSecond => End.AddSeconds(-1);
}

public sealed record CoveragePeriod(CoverageKind Kind, LocalPeriod Period)
{
    public bool ActiveAt(DateTimeOffset instant) => Period.Contains(instant);
}

/// <summary>The business calendar: which local date an instant falls on, and where a local date begins.</summary>
public sealed class BusinessCalendar
{
    private readonly DateTimeZone zone;

    private BusinessCalendar(DateTimeZone zone) => this.zone = zone;

    public string ZoneId => zone.Id;

    /// <summary>Throws DateTimeZoneNotFoundException for an id the embedded IANA database does not know.</summary>
    public static BusinessCalendar For(string zoneId) => new(DateTimeZoneProviders.Tzdb[zoneId]);

    public DateOnly LocalDateOf(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).Date.ToDateOnly();

    /// <summary>The instant as the zone's clocks show it, with the offset in force then: what a buyer is shown.</summary>
    public DateTimeOffset LocalTimeOf(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).ToDateTimeOffset();

    /// <summary>
    /// The first instant of the local date. Where a DST jump skips midnight (America/Santiago, Asia/Beirut), that
    /// is the first instant that exists on the date, so a period still starts on its own date and never on the eve.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly day) =>
        zone.AtStartOfDay(LocalDate.FromDateOnly(day)).ToInstant().ToDateTimeOffset();

    public LocalPeriod Days(DateOnly firstDay, DateOnly lastDay) =>
        new(firstDay, lastDay, StartOf(firstDay), StartOf(lastDay.AddDays(1)));
}

/// <summary>What a line brings to the period arithmetic: its category's terms and the order line's promises.</summary>
public sealed record CoverageTerms(
    int ReturnDays,
    int ReplaceDays,
    int RepairMonths,
    int ManufacturerWarrantyMonths,
    int MerchantWarrantyMonths,
    int? LongDiscoveryDays,
    int? ExtendedWarrantyYears);

/// <summary>The period arithmetic of docs/domain.md's coverage table, on local calendar dates.</summary>
public static class Coverage
{
    /// <summary>Keeps the day number and clamps to the month's end (2024-01-31 + 1 month = 2024-02-29).</summary>
    public static DateOnly PlusMonths(DateOnly day, int months) =>
        LocalDate.FromDateOnly(day).PlusMonths(months).ToDateOnly();

    /// <summary>"d0 to d0 + N − 1": N whole days counting d0 itself (return, replacement).</summary>
    public static LocalPeriod FirstDays(BusinessCalendar calendar, DateOnly d0, int days) =>
        calendar.Days(d0, d0.AddDays(days - 1));

    /// <summary>"d0 to d0 + M months": the end date is d0.PlusMonths(M), inclusive (三包 repair, national, merchant).</summary>
    public static LocalPeriod ThroughMonths(BusinessCalendar calendar, DateOnly d0, int months) =>
        calendar.Days(d0, PlusMonths(d0, months));

    /// <summary>"Within N days of d0": through d0 + N, the same counting as the entry's "N days after d0".</summary>
    public static LocalPeriod ThroughDaysAfter(BusinessCalendar calendar, DateOnly day, int days) =>
        calendar.Days(day, day.AddDays(days));

    /// <summary>
    /// National warranty end, else 三包 repair end, else d0: the extended plan takes over where the brand's
    /// promise stops, and without a brand promise where the statutory one stops.
    /// </summary>
    public static DateOnly BaseEnd(DateOnly d0, LocalPeriod? nationalWarranty, LocalPeriod? threeGuaranteesRepair) =>
        nationalWarranty?.LastDay ?? threeGuaranteesRepair?.LastDay ?? d0;

    /// <summary>
    /// S = baseEnd + 1 day, end = S + N years − 1 day, exactly as docs/domain.md states it. NodaTime clamps
    /// S + N years, so a plan starting on 29 February ends on 27 February: the formula, not a slip.
    /// </summary>
    public static LocalPeriod ExtendedWarranty(BusinessCalendar calendar, DateOnly baseEnd, int years)
    {
        var start = LocalDate.FromDateOnly(baseEnd).PlusDays(1);
        var lastDay = start.PlusYears(years).PlusDays(-1);
        return calendar.Days(start.ToDateOnly(), lastDay.ToDateOnly());
    }

    /// <summary>All coverages of one line, in table order; a zero-length promise yields no coverage.</summary>
    public static IReadOnlyList<CoveragePeriod> ForLine(BusinessCalendar calendar, DateOnly d0, CoverageTerms terms)
    {
        var coverages = new List<CoveragePeriod>();
        if (terms.ReturnDays > 0)
            coverages.Add(new(CoverageKind.ThreeGuaranteesReturn, FirstDays(calendar, d0, terms.ReturnDays)));
        if (terms.ReplaceDays > 0)
            coverages.Add(new(CoverageKind.ThreeGuaranteesReplacement, FirstDays(calendar, d0, terms.ReplaceDays)));

        LocalPeriod? repair = terms.RepairMonths > 0 ? ThroughMonths(calendar, d0, terms.RepairMonths) : null;
        if (repair is not null)
            coverages.Add(new(CoverageKind.ThreeGuaranteesRepair, repair));

        LocalPeriod? national = terms.ManufacturerWarrantyMonths > 0
            ? ThroughMonths(calendar, d0, terms.ManufacturerWarrantyMonths)
            : null;
        if (national is not null)
            coverages.Add(new(CoverageKind.NationalJointWarranty, national));

        if (terms.MerchantWarrantyMonths > 0)
            coverages.Add(new(CoverageKind.MerchantCommitment, ThroughMonths(calendar, d0, terms.MerchantWarrantyMonths)));

        if (terms.ExtendedWarrantyYears is { } years)
            coverages.Add(new(CoverageKind.ExtendedWarranty, ExtendedWarranty(calendar, BaseEnd(d0, national, repair), years)));

        if (terms.LongDiscoveryDays is { } discoveryDays)
            coverages.Add(new(CoverageKind.LongDiscovery, ThroughDaysAfter(calendar, d0, discoveryDays)));

        return coverages;
    }
}
