namespace Platform.Contracts.Arbitration.V1;

/// <summary>
/// A final ruling on a case, with every id and detail the other services need to carry it out: the
/// Warranty service resolves the claim or reopens the entry; the RepairDispatch service opens or
/// continues a repair at the platform's cost.
/// </summary>
public sealed record RulingIssued
{
    /// <summary>The case's id.</summary>
    public required Guid CaseId { get; init; }

    /// <summary>What opened the case.</summary>
    public required CaseOrigin Origin { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line in dispute.</summary>
    public required string LineId { get; init; }

    /// <summary>The claim in dispute, when there is one.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>The escalated repair job, when there is one.</summary>
    public Guid? JobId { get; init; }

    /// <summary>The denied reopen request appealed, when there is one.</summary>
    public Guid? ReopenRequestId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>Who answered the case.</summary>
    public required RespondentKind Respondent { get; init; }

    /// <summary>
    /// The merchant's id when the merchant answered; null for the platform's repair operations.
    /// </summary>
    public string? RespondentId { get; init; }

    /// <summary>Which side the ruling favours.</summary>
    public required CaseParty InFavourOf { get; init; }

    /// <summary>What the ruling orders; null when it favours the respondent.</summary>
    public RulingRemedy? Remedy { get; init; }

    /// <summary>The refund or compensation in yuan, for those remedies; null otherwise.</summary>
    public decimal? Amount { get; init; }

    /// <summary>The arbitrator's reasons.</summary>
    public required string Rationale { get; init; }

    /// <summary>Whether the respondent lost by default, having not answered before the deadline.</summary>
    public required bool DefaultRuling { get; init; }

    /// <summary>The arbitrator who ruled; null for a default ruling.</summary>
    public string? ArbitratorId { get; init; }

    /// <summary>Province code of the shipping address.</summary>
    public required string ShippingRegion { get; init; }

    /// <summary>The item's stock-keeping unit.</summary>
    public required string Sku { get; init; }

    /// <summary>The product title.</summary>
    public required string Title { get; init; }

    /// <summary>The product category code.</summary>
    public required string Category { get; init; }

    /// <summary>The product's brand.</summary>
    public required string Brand { get; init; }

    /// <summary>The fault in the claimant's words.</summary>
    public required string FaultDescription { get; init; }

    /// <summary>When the ruling was issued (UTC).</summary>
    public required DateTimeOffset RuledAt { get; init; }
}
