namespace Platform.Contracts.Orders.V1;

/// <summary>
/// An order line was refunded, republished by the Order service so that other services need not
/// consume the trade system's events: the Warranty service refuses new claims on the line and
/// cancels its extended warranty with a full refund.
/// </summary>
public sealed record OrderLineRefunded
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The refunded line's id.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>Amount refunded to the buyer, in yuan.</summary>
    public required decimal RefundAmount { get; init; }

    /// <summary>When the refund was made (UTC).</summary>
    public required DateTimeOffset RefundedAt { get; init; }
}
