namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A request to reopen the after-sales entry (售后入口) was denied. Carries the line's details so that an
/// appeal to arbitration needs nothing else, except when the requester did not buy the line
/// (<see cref="Reason"/> NotBuyer): then the merchant and product fields are empty strings, so that a
/// stranger learns nothing of another buyer's order, and no appeal is possible.
/// </summary>
public sealed record ReopenDenied
{
    /// <summary>The reopen request's id, created by the Warranty service; an appeal names it.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line concerned.</summary>
    public required string LineId { get; init; }

    /// <summary>The buyer the request was made for.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The trade system's id of the order's merchant.</summary>
    public required string MerchantId { get; init; }

    /// <summary>Province code of the shipping address.</summary>
    public required string ShippingRegion { get; init; }

    /// <summary>The line's stock-keeping unit.</summary>
    public required string Sku { get; init; }

    /// <summary>The product title.</summary>
    public required string Title { get; init; }

    /// <summary>The product category code.</summary>
    public required string Category { get; init; }

    /// <summary>The product's brand.</summary>
    public required string Brand { get; init; }

    /// <summary>Who asked: the buyer's id, or the customer-service agent's id.</summary>
    public required string RequestedById { get; init; }

    /// <summary>Whether the buyer or customer service asked.</summary>
    public required RequesterRole RequestedByRole { get; init; }

    /// <summary>The kind of fault the request names.</summary>
    public required FaultKind Fault { get; init; }

    /// <summary>The fault in the requester's words.</summary>
    public required string FaultDescription { get; init; }

    /// <summary>Why the request was denied.</summary>
    public required ReopenDenialReason Reason { get; init; }

    /// <summary>Whether the buyer may appeal the denial to arbitration.</summary>
    public required bool AppealMayHelp { get; init; }

    /// <summary>When the request was denied (UTC).</summary>
    public required DateTimeOffset DeniedAt { get; init; }
}
