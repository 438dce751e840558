namespace Platform.Contracts.Trade.V1;

/// <summary>
/// The buyer confirmed receipt: the transaction succeeded, and its local date is day d0 of every
/// warranty. It may arrive before the order's <see cref="OrderPlaced"/>.
/// </summary>
public sealed record OrderReceiptConfirmed
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>When the buyer confirmed receipt (UTC).</summary>
    public required DateTimeOffset ConfirmedAt { get; init; }
}
