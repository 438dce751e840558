namespace Platform.Contracts.Repair.V1;

/// <summary>
/// A repair job offered to one provider, sent to that provider's own queue only. It carries all the
/// provider needs; the provider must contact the buyer before <see cref="CallbackDeadline"/>.
/// </summary>
public sealed record RepairJobDispatched
{
    /// <summary>The job's id; every report about the job names it.</summary>
    public required Guid JobId { get; init; }

    /// <summary>Which dispatch of the job this is, from 1; every report about the job names it.</summary>
    public required int Attempt { get; init; }

    /// <summary>The provider the job is dispatched to.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line to repair.</summary>
    public required string LineId { get; init; }

    /// <summary>
    /// The approved claim the job serves, when it comes from one; copied into the completion report.
    /// </summary>
    public Guid? ClaimId { get; init; }

    /// <summary>The arbitration case whose ruling ordered the job, when it comes from one.</summary>
    public Guid? CaseId { get; init; }

    /// <summary>
    /// An opaque reference for reaching the buyer through the platform's contact service: today the
    /// path, on the RepairDispatch API, where the provider the job is dispatched to reads a virtual number
    /// that reaches the buyer and the service address (<c>jobs/{jobId}/contact</c>). It names no buyer;
    /// the buyer's phone and address never travel in a message to a provider.
    /// </summary>
    public required string BuyerContactReference { get; init; }

    /// <summary>Province code where the buyer is.</summary>
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

    /// <summary>Who pays for the repair; the buyer pays nothing.</summary>
    public required RepairCostBearer CostBearer { get; init; }

    /// <summary>When the job was dispatched to the provider (UTC).</summary>
    public required DateTimeOffset DispatchedAt { get; init; }

    /// <summary>The instant by which the provider must report the buyer contacted (UTC).</summary>
    public required DateTimeOffset CallbackDeadline { get; init; }
}
