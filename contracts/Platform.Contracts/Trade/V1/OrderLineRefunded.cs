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

    /// <summary>
    /// The trade system's id of this refund: a message with an id already recorded is the same refund
    /// sent again, and two refunds with different ids count twice, whatever their amounts and instants.
    /// Without it, the refund is taken to be the one identified by its line, amount and instant: two
    /// refunds of the same amount on the same line at the same instant then count once.
    /// </summary>
    public string? RefundId { get; init; }
}
