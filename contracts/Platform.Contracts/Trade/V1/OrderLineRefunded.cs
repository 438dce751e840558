namespace Platform.Contracts.Trade.V1;

/// <summary>The trade system refunded an order line; the line gets no after-sales service from then on.</summary>
public sealed record OrderLineRefunded
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The refunded line's id.</summary>
    public required string LineId { get; init; }

    /// <summary>Amount refunded to the buyer, in yuan.</summary>
    public required decimal RefundAmount { get; init; }

    /// <summary>When the refund was made (UTC).</summary>
    public required DateTimeOffset RefundedAt { get; init; }
}
