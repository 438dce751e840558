namespace Platform.Contracts.Repair.V1;

/// <summary>
/// A repair job was escalated to the platform, which guarantees the service (兜底) through arbitration;
/// the Arbitration service opens a case from it.
/// </summary>
public sealed record RepairJobEscalated
{
    /// <summary>The job's id.</summary>
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

    /// <summary>Why the job was escalated.</summary>
    public required RepairEscalationReason Reason { get; init; }

    /// <summary>How many dispatch attempts were made.</summary>
    public required int Attempts { get; init; }

    /// <summary>The provider of the last attempt; null when no provider was ever found.</summary>
    public string? LastProviderId { get; init; }

    /// <summary>When the job was escalated (UTC).</summary>
    public required DateTimeOffset EscalatedAt { get; init; }
}
