namespace Platform.Contracts.Warranty.V1;

/// <summary>One promise on a warranty file and the days it runs.</summary>
public sealed record Coverage
{
    /// <summary>Which promise this is.</summary>
    public required CoverageKind Kind { get; init; }

    /// <summary>Who answers claims served under it.</summary>
    public required ResponsibleParty AnsweredBy { get; init; }

    /// <summary>The days it covers.</summary>
    public required CalendarPeriod Period { get; init; }
}
