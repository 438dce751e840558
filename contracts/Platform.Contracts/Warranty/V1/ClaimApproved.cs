namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A claim was approved under a coverage. Repairs answered by a brand or the extended-warranty
/// programme open a repair job from this message; merchant-answered claims go on to wait for the
/// merchant.
/// </summary>
public sealed record ClaimApproved
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The trade system's id of the order's merchant.</summary>
    public required string MerchantId { get; init; }

    /// <summary>Province code of the shipping address; repair providers are chosen by it.</summary>
    public required string ShippingRegion { get; init; }

    /// <summary>The line's stock-keeping unit.</summary>
    public required string Sku { get; init; }

    /// <summary>The product title.</summary>
    public required string Title { get; init; }

    /// <summary>The product category code; repair providers are chosen by it.</summary>
    public required string Category { get; init; }

    /// <summary>The product's brand.</summary>
    public required string Brand { get; init; }

    /// <summary>The kind of fault claimed.</summary>
    public required FaultKind Fault { get; init; }

    /// <summary>The fault in the claimant's words.</summary>
    public required string FaultDescription { get; init; }

    /// <summary>The coverage the claim is served under.</summary>
    public required CoverageKind Coverage { get; init; }

    /// <summary>The remedy the claimant asked for.</summary>
    public required Remedy RemedyAsked { get; init; }

    /// <summary>The remedy granted: the one asked for, or the best lesser one still available.</summary>
    public required Remedy RemedyGranted { get; init; }

    /// <summary>
    /// Whether a replacement was granted because the fault came back after two repairs inside the
    /// three-guarantees repair period.
    /// </summary>
    public required bool RepeatedFaultReplacement { get; init; }

    /// <summary>Who answers the claim.</summary>
    public required ResponsibleParty AnsweredBy { get; init; }

    /// <summary>Who pays the shipping.</summary>
    public required ShippingPayer ShippingPaidBy { get; init; }

    /// <summary>When the claim was approved (UTC).</summary>
    public required DateTimeOffset ApprovedAt { get; init; }

    /// <summary>
    /// The phone number the claim gave for the buyer, on a repair a brand or the extended-warranty programme answers
    /// (a provider will carry it out); null otherwise, or when the claim gave none. RepairDispatch keeps it for its
    /// contact service and never sends it to a provider.
    /// </summary>
    public string? BuyerPhone { get; init; }

    /// <summary>The service address the claim gave, on the same approvals as <see cref="BuyerPhone"/>; null otherwise.</summary>
    public string? ServiceAddress { get; init; }
}
