namespace Platform.Contracts.Trade.V1;

/// <summary>The merchant shipped the order; the automatic receipt confirmation is counted from here.</summary>
public sealed record OrderShipped
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>When the order left the merchant (UTC).</summary>
    public required DateTimeOffset ShippedAt { get; init; }
}
