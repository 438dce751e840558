namespace Platform.Contracts.Repair.V1;

/// <summary>
/// A repair job was opened, from an approved repair claim or from a ruling that orders a repair;
/// dispatch to a provider follows.
/// </summary>
public sealed record RepairJobOpened
{
    /// <summary>The job's id, created by the RepairDispatch service.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line to repair.</summary>
    public required string LineId { get; init; }

    /// <summary>The approved claim the job serves, when it comes from one.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>The arbitration case whose ruling ordered the job, when it comes from one.</summary>
    public Guid? CaseId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>Province code where the buyer is; providers must serve it.</summary>
    public required string ShippingRegion { get; init; }

    /// <summary>The item's stock-keeping unit.</summary>
    public required string Sku { get; init; }

    /// <summary>The product title.</summary>
    public required string Title { get; init; }

    /// <summary>The product category code; providers must serve it.</summary>
    public required string Category { get; init; }

    /// <summary>The product's brand.</summary>
    public required string Brand { get; init; }

    /// <summary>The fault in the claimant's words.</summary>
    public required string FaultDescription { get; init; }

    /// <summary>Who pays for the repair.</summary>
    public required RepairCostBearer CostBearer { get; init; }

    /// <summary>When the job was opened (UTC).</summary>
    public required DateTimeOffset OpenedAt { get; init; }
}
