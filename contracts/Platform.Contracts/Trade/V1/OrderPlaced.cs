namespace Platform.Contracts.Trade.V1;

/// <summary>
/// The trade system accepted an order. The Order service keeps it as the first fact of the order's
/// stream; a second, different <see cref="OrderPlaced"/> for the same order is refused.
/// </summary>
public sealed record OrderPlaced
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The trade system's id of the buyer who placed the order.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The trade system's id of the merchant selling the goods.</summary>
    public required string MerchantId { get; init; }

    /// <summary>Province code of the shipping address; repair providers are chosen by it.</summary>
    public required string ShippingRegion { get; init; }

    /// <summary>The order's lines; each becomes its own warranty file once the order completes.</summary>
    public required IReadOnlyList<OrderLine> Lines { get; init; }

    /// <summary>When the trade system accepted the order (UTC).</summary>
    public required DateTimeOffset PlacedAt { get; init; }
}
