namespace Platform.Contracts.Warranty.V1;

/// <summary>An extended warranty (延保) was cancelled, and what is refunded for it.</summary>
public sealed record ExtendedWarrantyCancelled
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line the extended warranty covered.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>Why it was cancelled.</summary>
    public required ExtendedWarrantyCancellationReason Reason { get; init; }

    /// <summary>The rule that set the refund.</summary>
    public required RefundBasis RefundBasis { get; init; }

    /// <summary>What the buyer paid for the plan, in yuan.</summary>
    public required decimal PricePaid { get; init; }

    /// <summary>What is refunded to the buyer, in yuan; 0 when nothing is.</summary>
    public required decimal RefundAmount { get; init; }

    /// <summary>When it was cancelled (UTC).</summary>
    public required DateTimeOffset CancelledAt { get; init; }
}
