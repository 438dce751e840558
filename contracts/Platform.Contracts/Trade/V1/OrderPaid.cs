namespace Platform.Contracts.Trade.V1;

/// <summary>The buyer paid for the order.</summary>
public sealed record OrderPaid
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>When the payment succeeded (UTC).</summary>
    public required DateTimeOffset PaidAt { get; init; }
}
