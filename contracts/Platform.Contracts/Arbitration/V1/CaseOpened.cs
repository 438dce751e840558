namespace Platform.Contracts.Arbitration.V1;

/// <summary>
/// An arbitration case was opened; the respondent must answer with evidence before <see
/// cref="RespondBy"/> or lose by default.
/// </summary>
public sealed record CaseOpened
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

    /// <summary>Who answers the case.</summary>
    public required RespondentKind Respondent { get; init; }

    /// <summary>
    /// The merchant's id when the merchant answers; null for the platform's repair operations.
    /// </summary>
    public string? RespondentId { get; init; }

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

    /// <summary>When the case was opened (UTC).</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>The respondent's deadline (UTC).</summary>
    public required DateTimeOffset RespondBy { get; init; }
}
