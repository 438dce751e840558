namespace Platform.Contracts.Orders.V1;

/// <summary>
/// Scheduled by the Order service for itself when an order ships. On arrival it completes the order
/// as confirmed by the system, unless the buyer confirmed first, in which case it changes nothing.
/// </summary>
public sealed record AutomaticReceiptConfirmationDue
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>
    /// The instant the confirmation falls due (UTC). The order completes at this instant, not at
    /// delivery of the message, so a late relay does not move day d0.
    /// </summary>
    public required DateTimeOffset DueAt { get; init; }
}
