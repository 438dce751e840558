namespace Platform.Contracts.Payments.V1;

/// <summary>
/// The trade system could not pay an instruction. Sent like <see cref="PaymentConfirmed"/>; a PaymentConfirmed
/// for the same instruction may follow when a later attempt succeeds.
/// </summary>
public sealed record PaymentFailed
{
    /// <summary>The instruction that could not be paid.</summary>
    public required Guid InstructionId { get; init; }

    /// <summary>The instruction's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The instruction's order line.</summary>
    public required string LineId { get; init; }

    /// <summary>The instruction's amount.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The instruction's currency.</summary>
    public required string Currency { get; init; }

    /// <summary>Why it failed, in the trade system's words, for the people who follow it up.</summary>
    public required string Reason { get; init; }

    /// <summary>When the attempt failed (UTC).</summary>
    public required DateTimeOffset FailedAt { get; init; }
}
