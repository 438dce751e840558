namespace Platform.Contracts.Payments.V1;

/// <summary>
/// The trade system paid an instruction. Sent, not published, to the queue of the service that instructed it
/// (warranty-payment-results for a RefundInstructed, arbitration-payment-results for a CompensationInstructed),
/// naming the instruction and repeating its order, line, amount and currency; the platform refuses, and keeps
/// for its operators, one that names no instruction of its or another amount.
/// </summary>
public sealed record PaymentConfirmed
{
    /// <summary>The instruction paid.</summary>
    public required Guid InstructionId { get; init; }

    /// <summary>The instruction's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The instruction's order line.</summary>
    public required string LineId { get; init; }

    /// <summary>The amount paid: the instruction's.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The instruction's currency.</summary>
    public required string Currency { get; init; }

    /// <summary>The trade system's own id of the payment, for the buyer and for reconciliation.</summary>
    public required string PaymentReference { get; init; }

    /// <summary>When the money was paid (UTC).</summary>
    public required DateTimeOffset PaidAt { get; init; }
}
