namespace Platform.Contracts.Payments.V1;

/// <summary>
/// A ruling awarded the buyer compensation: the Arbitration service's instruction to the trade system's payment
/// side, which pays it and sends <see cref="PaymentConfirmed"/> or <see cref="PaymentFailed"/> to the queue
/// arbitration-payment-results. A case is ruled once, so it instructs at most one compensation, and the
/// InstructionId, the same on every delivery, is the case's id.
/// </summary>
public sealed record CompensationInstructed
{
    /// <summary>The instruction's id, the same on every delivery: the trade system's idempotency key.</summary>
    public required Guid InstructionId { get; init; }

    /// <summary>The case whose ruling awarded it.</summary>
    public required Guid CaseId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line in dispute.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer, who receives the money.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The amount to pay the buyer, as the ruling named it: above zero, at most 2 decimals.</summary>
    public required decimal Amount { get; init; }

    /// <summary>ISO 4217 code of the amount's currency; CNY (yuan).</summary>
    public required string Currency { get; init; }

    /// <summary>The decision that moves the money: always RulingCompensation.</summary>
    public required PaymentReason Reason { get; init; }

    /// <summary>Whose money it is: the party that lost the case.</summary>
    public required Payer PaidBy { get; init; }

    /// <summary>The merchant's id when the merchant pays; null otherwise.</summary>
    public string? MerchantId { get; init; }

    /// <summary>The claim in dispute, when there is one.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>When the case was ruled (UTC).</summary>
    public required DateTimeOffset InstructedAt { get; init; }
}
