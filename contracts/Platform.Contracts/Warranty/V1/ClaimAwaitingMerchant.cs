namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// An approved claim answered by the merchant waits for the merchant's answer; silence until <see
/// cref="RespondBy"/> accepts it.
/// </summary>
public sealed record ClaimAwaitingMerchant
{
    /// <summary>The claim's id.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>The merchant who must answer.</summary>
    public required string MerchantId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The coverage the claim is served under.</summary>
    public required CoverageKind Coverage { get; init; }

    /// <summary>The remedy the merchant is asked to give.</summary>
    public required Remedy RemedyGranted { get; init; }

    /// <summary>The merchant's deadline (UTC).</summary>
    public required DateTimeOffset RespondBy { get; init; }
}
