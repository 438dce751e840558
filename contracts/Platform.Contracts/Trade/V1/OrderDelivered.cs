namespace Platform.Contracts.Trade.V1;

/// <summary>The carrier delivered the order. Delivery alone is not transaction success.</summary>
public sealed record OrderDelivered
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>When the carrier reported the delivery (UTC).</summary>
    public required DateTimeOffset DeliveredAt { get; init; }
}
