namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// Scheduled by the Warranty service for itself when a claim starts waiting for the merchant. On
/// arrival, a claim still waiting is accepted on the merchant's behalf; otherwise nothing changes.
/// </summary>
public sealed record MerchantResponseDeadline
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The merchant's deadline (UTC).</summary>
    public required DateTimeOffset DueAt { get; init; }
}
