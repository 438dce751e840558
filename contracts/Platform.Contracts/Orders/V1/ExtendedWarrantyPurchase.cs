namespace Platform.Contracts.Orders.V1;

/// <summary>An extended warranty (延保) bought with an order line.</summary>
public sealed record ExtendedWarrantyPurchase
{
    /// <summary>Length of the plan in years: 1, 2 or 3.</summary>
    public required int PlanYears { get; init; }

    /// <summary>What the buyer paid for the plan, in yuan.</summary>
    public required decimal PricePaid { get; init; }

    /// <summary>Whether the plan also covers accidental damage (综合保修).</summary>
    public required bool IncludesAccidentalDamage { get; init; }
}
