namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A claim ended: a repair finished, the merchant accepted, a ruling settled it, or the line was
/// refunded. The line is free for a new claim, unless it was refunded.
/// </summary>
public sealed record ClaimResolved
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>How the claim ended.</summary>
    public required ClaimResolution Resolution { get; init; }

    /// <summary>The repair job that ended it, when one did.</summary>
    public Guid? JobId { get; init; }

    /// <summary>The arbitration case whose ruling ended it, when one did.</summary>
    public Guid? CaseId { get; init; }

    /// <summary>When the claim was resolved (UTC).</summary>
    public required DateTimeOffset ResolvedAt { get; init; }
}
