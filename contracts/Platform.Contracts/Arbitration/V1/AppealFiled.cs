namespace Platform.Contracts.Arbitration.V1;

/// <summary>
/// The buyer, or customer service on the buyer's behalf, appeals a claim rejection or a denied reopen
/// request to arbitration. The Arbitration service takes the line's details from the appealed decision.
/// </summary>
public sealed record AppealFiled
{
    /// <summary>
    /// The id of the case the appeal opens, chosen by the filing system so that a resent appeal is
    /// recognised.
    /// </summary>
    public required Guid CaseId { get; init; }

    /// <summary>What decision is appealed.</summary>
    public required AppealSubject Subject { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line concerned.</summary>
    public required string LineId { get; init; }

    /// <summary>The rejected claim, when a claim rejection is appealed.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>The denied reopen request, when a reopen denial is appealed.</summary>
    public Guid? ReopenRequestId { get; init; }

    /// <summary>The buyer the appeal is for.</summary>
    public required string BuyerId { get; init; }

    /// <summary>Who filed: the buyer's id, or the customer-service agent's id.</summary>
    public required string FiledById { get; init; }

    /// <summary>Whether the buyer or customer service filed.</summary>
    public required FilerRole FiledByRole { get; init; }

    /// <summary>The buyer's case, in the buyer's words.</summary>
    public required string Statement { get; init; }

    /// <summary>Links to the buyer's supporting evidence; may be empty.</summary>
    public required IReadOnlyList<Uri> EvidenceLinks { get; init; }

    /// <summary>When the appeal was filed (UTC).</summary>
    public required DateTimeOffset FiledAt { get; init; }
}
