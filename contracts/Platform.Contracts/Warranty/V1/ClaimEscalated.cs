namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// The buyer escalated a claim the merchant refused; the Arbitration service opens a case from it.
/// </summary>
public sealed record ClaimEscalated
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The merchant who refused, the respondent in arbitration.</summary>
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

    /// <summary>The remedy the claim was approved for and the merchant refused.</summary>
    public required Remedy RemedyGranted { get; init; }

    /// <summary>The merchant's reason for refusing.</summary>
    public required string MerchantReason { get; init; }

    /// <summary>The buyer's case, in the buyer's words.</summary>
    public required string Statement { get; init; }

    /// <summary>Links to the buyer's supporting evidence; may be empty.</summary>
    public required IReadOnlyList<Uri> EvidenceLinks { get; init; }

    /// <summary>When the buyer escalated (UTC).</summary>
    public required DateTimeOffset EscalatedAt { get; init; }
}
