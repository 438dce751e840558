namespace Platform.Contracts.Payments.V1;

/// <summary>
/// The platform decided that money goes back to the buyer: the Warranty service's instruction to the trade
/// system's payment side, which pays it and sends <see cref="PaymentConfirmed"/> or <see cref="PaymentFailed"/>
/// to the queue warranty-payment-results. The same instruction may be delivered more than once; it keeps its
/// InstructionId, and the trade system pays each InstructionId once.
/// </summary>
public sealed record RefundInstructed
{
    /// <summary>The instruction's id, the same on every delivery: the trade system's idempotency key.</summary>
    public required Guid InstructionId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line the money is for.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer, who receives the money.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The amount to pay the buyer, above zero, at most 2 decimals.</summary>
    public required decimal Amount { get; init; }

    /// <summary>ISO 4217 code of the amount's currency; CNY (yuan).</summary>
    public required string Currency { get; init; }

    /// <summary>The decision that moves the money.</summary>
    public required PaymentReason Reason { get; init; }

    /// <summary>Whose money it is.</summary>
    public required Payer PaidBy { get; init; }

    /// <summary>The merchant's id when the merchant pays; null otherwise.</summary>
    public string? MerchantId { get; init; }

    /// <summary>The claim whose return or ruling it settles, when there is one.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>The case whose ruling ordered it, when a ruling did.</summary>
    public Guid? CaseId { get; init; }

    /// <summary>When the platform decided it (UTC).</summary>
    public required DateTimeOffset InstructedAt { get; init; }
}
