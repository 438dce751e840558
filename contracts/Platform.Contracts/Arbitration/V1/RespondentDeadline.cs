namespace Platform.Contracts.Arbitration.V1;

/// <summary>
/// Scheduled by the Arbitration service for itself when a case opens. On arrival, a respondent who has
/// not answered loses by default; otherwise nothing changes.
/// </summary>
public sealed record RespondentDeadline
{
    /// <summary>The case's id.</summary>
    public required Guid CaseId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The respondent's deadline (UTC).</summary>
    public required DateTimeOffset DueAt { get; init; }
}
