namespace Warranty.Domain;

/// <summary>
/// Every number docs/domain.md marks "policy". The service binds it from configuration; the initialisers are
/// the documented defaults, so an empty configuration section behaves as docs/domain.md describes.
/// </summary>
public sealed record WarrantyPolicy
{
    public static WarrantyPolicy Default => new();

    /// <summary>IANA zone whose calendar days the periods are counted in. Snapshotted into each file at activation.</summary>
    public string BusinessTimeZoneId { get; init; } = "Asia/Shanghai";

    public int ReturnDays { get; init; } = 7;
    public int ReplaceDays { get; init; } = 15;
    public int BaseEntryDays { get; init; } = 15;
    public int LongEntryDays { get; init; } = 180;

    /// <summary>
    /// 售后保: the entry stays open while the 三包 repair period or the merchant commitment runs. A switch,
    /// because the seed describes it as a programme the platform launched, not as a law of the trade.
    /// </summary>
    public bool AfterSalesProtection { get; init; } = true;

    public int ReopenDays { get; init; } = 15;
    public int MerchantResponseHours { get; init; } = 48;

    /// <summary>
    /// How long before its arrival a claim filed in another platform system (ClaimFiled) may say it was filed: it is
    /// adjudicated as of that instant, so a filing older than this is refused rather than decided on periods long past.
    /// </summary>
    public int FiledAtMaxAgeHours { get; init; } = 72;

    /// <summary>
    /// How far ahead of the Warranty service's clock a ClaimFiled may say it was filed: the sending system's clock may
    /// run a little fast. One further ahead is refused as a contradiction, a claim filed in the future.
    /// </summary>
    public int FiledAtClockSkewMinutes { get; init; } = 5;
    public int LongDiscoveryLimitDays { get; init; } = 365;

    /// <summary>三包: a fault that comes back after this many repairs entitles the buyer to a replacement.</summary>
    public int RepairsBeforeReplacement { get; init; } = 2;

    /// <summary>Keyed by category code, case-insensitively. Configuration adds to or overrides these entries.</summary>
    public Dictionary<string, CategoryPolicy> Categories { get; init; } = CategoryPolicy.Defaults();

    /// <summary>
    /// For a category code missing from <see cref="Categories"/>: base entry window, return and replacement
    /// windows, no 三包 repair and no long discovery. 三包 repair is statutory only for the listed product
    /// catalogue, so an unknown category must not promise a year of free repair until someone configures it.
    /// </summary>
    public CategoryPolicy UnknownCategory { get; init; } = new();

    /// <summary>
    /// What is wrong with a bound configuration, empty when nothing is: for the service to refuse to start rather
    /// than promise buyers periods that end before they begin.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(BusinessTimeZoneId) is null)
            problems.Add($"BusinessTimeZoneId '{BusinessTimeZoneId}' is not an IANA time zone");
        foreach (var (name, value) in (ReadOnlySpan<(string, int)>)
                 [
                     (nameof(ReturnDays), ReturnDays), (nameof(ReplaceDays), ReplaceDays), (nameof(BaseEntryDays), BaseEntryDays),
                     (nameof(LongEntryDays), LongEntryDays), (nameof(ReopenDays), ReopenDays),
                     (nameof(MerchantResponseHours), MerchantResponseHours), (nameof(LongDiscoveryLimitDays), LongDiscoveryLimitDays),
                     (nameof(FiledAtMaxAgeHours), FiledAtMaxAgeHours), (nameof(FiledAtClockSkewMinutes), FiledAtClockSkewMinutes),
                     (nameof(RepairsBeforeReplacement), RepairsBeforeReplacement),
                 ])
        {
            if (value < 0)
                problems.Add($"{name} is {value}, below zero");
        }

        foreach (var (code, category) in Categories.Append(new("(unknown category)", UnknownCategory)))
        {
            if (category.RepairMonths < 0 || category.ReturnDays < 0 || category.ReplaceDays < 0 || category.LongDiscoveryLimitDays < 0)
                problems.Add($"category '{code}' has a number below zero");
        }

        return problems;
    }

    public CategoryTerms TermsFor(string categoryCode)
    {
        var category = Categories.TryGetValue(categoryCode, out var known) ? known : UnknownCategory;
        return new CategoryTerms(
            EntryDays: category.LongEntry ? LongEntryDays : BaseEntryDays,
            ReturnDays: category.ReturnDays ?? ReturnDays,
            ReplaceDays: category.ReplaceDays ?? ReplaceDays,
            RepairMonths: category.RepairMonths,
            LongDiscoveryDays: category.LongDiscovery ? category.LongDiscoveryLimitDays ?? LongDiscoveryLimitDays : null);
    }
}

/// <summary>
/// One row of the per-category table. Nullable numbers fall back to <see cref="WarrantyPolicy"/>, so the
/// platform-wide policy stays the single place for the common values and a category states only how it differs.
/// </summary>
public sealed record CategoryPolicy
{
    public const string Phones = "phones";
    public const string Computers = "computers";
    public const string HomeAppliances = "home-appliances";
    public const string Clothing = "clothing";
    public const string Plants = "plants";
    public const string Flowers = "flowers";
    public const string Seeds = "seeds";
    public const string LiveAnimals = "live-animals";

    /// <summary>3C digital and home appliances keep the entry open for the long window (180 days).</summary>
    public bool LongEntry { get; init; }

    public int? ReturnDays { get; init; }
    public int? ReplaceDays { get; init; }

    /// <summary>三包 repair period in months; 0 = the category has none.</summary>
    public int RepairMonths { get; init; }

    /// <summary>Plants, flowers, seeds, live animals: defects that show only after weeks (a seed that never sprouts).</summary>
    public bool LongDiscovery { get; init; }

    public int? LongDiscoveryLimitDays { get; init; }

    public static Dictionary<string, CategoryPolicy> Defaults() => new(StringComparer.OrdinalIgnoreCase)
    {
        // 三包 lists mobile phones, microcomputers and household appliances with a one-year whole-unit repair period.
        [Phones] = new() { LongEntry = true, RepairMonths = 12 },
        [Computers] = new() { LongEntry = true, RepairMonths = 12 },
        [HomeAppliances] = new() { LongEntry = true, RepairMonths = 12 },
        [Clothing] = new(),
        [Plants] = new() { LongDiscovery = true },
        [Flowers] = new() { LongDiscovery = true },
        [Seeds] = new() { LongDiscovery = true },
        [LiveAnimals] = new() { LongDiscovery = true },
    };
}

/// <summary>A category's policy resolved against the platform policy: the concrete numbers one line is activated with.</summary>
public sealed record CategoryTerms(int EntryDays, int ReturnDays, int ReplaceDays, int RepairMonths, int? LongDiscoveryDays);
