namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// The merchant accepted a claim, or let its response deadline pass, which accepts it on the merchant's
/// behalf.
/// </summary>
public sealed record ClaimAcceptedByMerchant
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>The merchant who answers.</summary>
    public required string MerchantId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The remedy the merchant gives.</summary>
    public required Remedy RemedyGranted { get; init; }

    /// <summary>Whether the deadline passed without an answer rather than the merchant accepting.</summary>
    public required bool BySilence { get; init; }

    /// <summary>When the claim was accepted (UTC); the deadline itself when by silence.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }
}
