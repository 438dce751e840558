namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A span of whole local calendar days in the business time zone, given both as local dates and as the
/// half-open UTC range they cover.
/// </summary>
public sealed record CalendarPeriod
{
    /// <summary>The first day's local midnight, as a UTC instant (inclusive).</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>The local midnight after the last day, as a UTC instant (exclusive).</summary>
    public required DateTimeOffset EndsBefore { get; init; }

    /// <summary>The first local day covered.</summary>
    public required DateOnly FirstDay { get; init; }

    /// <summary>The last local day covered (inclusive: shown as ending at 23:59:59).</summary>
    public required DateOnly LastDay { get; init; }
}
