namespace Platform.Contracts.Warranty.V1;

/// <summary>The merchant refused a claim; the buyer may escalate it to arbitration.</summary>
public sealed record ClaimRefusedByMerchant
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>The merchant who refused.</summary>
    public required string MerchantId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The merchant's reason, in the merchant's words.</summary>
    public required string Reason { get; init; }

    /// <summary>Links to the merchant's supporting evidence; may be empty.</summary>
    public required IReadOnlyList<Uri> EvidenceLinks { get; init; }

    /// <summary>When the merchant refused (UTC).</summary>
    public required DateTimeOffset RefusedAt { get; init; }
}
