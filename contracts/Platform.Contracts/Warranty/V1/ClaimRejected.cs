namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A claim was rejected. Carries the line's details so that an appeal to arbitration needs nothing
/// else, except when the claimant did not buy the line (<see cref="Reason"/> NotBuyer): then the
/// merchant and product fields are empty strings, so that a stranger learns nothing of another buyer's
/// order, and no appeal is possible.
/// </summary>
public sealed record ClaimRejected
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>The buyer the claim was made for.</summary>
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

    /// <summary>The kind of fault claimed.</summary>
    public required FaultKind Fault { get; init; }

    /// <summary>The fault in the claimant's words.</summary>
    public required string FaultDescription { get; init; }

    /// <summary>The remedy the claimant asked for.</summary>
    public required Remedy RemedyAsked { get; init; }

    /// <summary>Why the claim was rejected.</summary>
    public required ClaimRejectionReason Reason { get; init; }

    /// <summary>Whether asking to reopen the after-sales entry could let the claim through.</summary>
    public required bool ReopenRequestMayHelp { get; init; }

    /// <summary>Whether the buyer may appeal the rejection to arbitration.</summary>
    public required bool AppealMayHelp { get; init; }

    /// <summary>When the claim was rejected (UTC).</summary>
    public required DateTimeOffset RejectedAt { get; init; }
}
