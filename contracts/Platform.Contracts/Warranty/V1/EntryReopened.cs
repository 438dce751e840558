namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A closed after-sales entry (售后入口) was reopened, on request or by an arbitrator's ruling
/// (<see cref="CaseId"/>), so merchant-answered claims can be filed again.
/// </summary>
public sealed record EntryReopened
{
    /// <summary>
    /// The reopen request's id, created by the Warranty service. When a ruling reopened the entry, the
    /// request or claim the case was about: the denied reopen request appealed, else the claim's id.
    /// </summary>
    public required Guid RequestId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line whose entry reopened.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>
    /// Who asked: the buyer's id, or the customer-service agent's id; for a ruling, who made the request or
    /// filed the claim the case was about.
    /// </summary>
    public required string RequestedById { get; init; }

    /// <summary>Whether the buyer or customer service asked.</summary>
    public required RequesterRole RequestedByRole { get; init; }

    /// <summary>The kind of fault the request names.</summary>
    public required FaultKind Fault { get; init; }

    /// <summary>The fault in the requester's words.</summary>
    public required string FaultDescription { get; init; }

    /// <summary>Why the entry reopened.</summary>
    public required ReopenGround Ground { get; init; }

    /// <summary>The days the entry is open again.</summary>
    public required CalendarPeriod Window { get; init; }

    /// <summary>When the entry reopened (UTC).</summary>
    public required DateTimeOffset ReopenedAt { get; init; }

    /// <summary>
    /// The arbitration case whose ruling reopened the entry (<see cref="Ground"/> ArbitrationRuling);
    /// null when a request was granted.
    /// </summary>
    public Guid? CaseId { get; init; }
}
