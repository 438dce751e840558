namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A claim on an order line, filed by the buyer or by customer service on the buyer's behalf.
/// Adjudication decides it as of <see cref="FiledAt"/>; the merchant's time to answer runs from when
/// the Warranty service received it.
/// </summary>
public sealed record ClaimFiled
{
    /// <summary>The claim's id, chosen by the filing system so that a resent claim is recognised.</summary>
    public required Guid ClaimId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line claimed on.</summary>
    public required string LineId { get; init; }

    /// <summary>Who filed: the buyer's id, or the customer-service agent's id.</summary>
    public required string ClaimantId { get; init; }

    /// <summary>Whether the buyer or customer service filed.</summary>
    public required RequesterRole ClaimantRole { get; init; }

    /// <summary>
    /// The buyer the claim is for: the claimant when a buyer files, the buyer served when customer
    /// service files.
    /// </summary>
    public required string BuyerId { get; init; }

    /// <summary>The kind of fault claimed.</summary>
    public required FaultKind Fault { get; init; }

    /// <summary>The fault in the claimant's words.</summary>
    public required string FaultDescription { get; init; }

    /// <summary>The remedy asked for.</summary>
    public required Remedy RemedyAsked { get; init; }

    /// <summary>Links to photos, videos or documents supporting the claim; may be empty.</summary>
    public required IReadOnlyList<Uri> EvidenceLinks { get; init; }

    /// <summary>
    /// When the buyer asked (UTC). A claim that reaches the Warranty service longer after this than its
    /// setting allows (Warranty__FiledAtMaxAgeHours, 72 by default) is refused, with the reason, not decided.
    /// </summary>
    public required DateTimeOffset FiledAt { get; init; }

    /// <summary>
    /// The phone number the buyer wants to be called on about the claim, digits with an optional
    /// leading <c>+</c> (spaces and hyphens are ignored); null when not given. It goes no further than the
    /// platform's services: a repair provider reaches it only through a virtual number.
    /// </summary>
    public string? BuyerPhone { get; init; }

    /// <summary>
    /// Where a repair visit or a device collection takes place, as the buyer writes it; null when not
    /// given. A repair provider reads it from RepairDispatch's contact service, never from a message.
    /// </summary>
    public string? ServiceAddress { get; init; }
}
