namespace Platform.Contracts.Orders.V1;

/// <summary>
/// The transaction succeeded (receipt confirmed by the buyer or automatically). The Warranty service
/// activates one warranty file per line from this snapshot; the local date of
/// <see cref="CompletedAt"/> is day d0.
/// </summary>
public sealed record OrderCompleted
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The trade system's id of the buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The trade system's id of the merchant.</summary>
    public required string MerchantId { get; init; }

    /// <summary>Province code of the shipping address.</summary>
    public required string ShippingRegion { get; init; }

    /// <summary>Every line of the order as it stood at completion, refunded ones included and marked.</summary>
    public required IReadOnlyList<CompletedOrderLine> Lines { get; init; }

    /// <summary>The instant of transaction success (UTC).</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Whether the buyer confirmed receipt or the automatic confirmation did.</summary>
    public required ReceiptConfirmedBy ConfirmedBy { get; init; }
}
