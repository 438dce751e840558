namespace Platform.Contracts.Trade.V1;

/// <summary>An extended warranty (延保) the buyer added to an order line at checkout.</summary>
public sealed record ExtendedWarrantyPurchase
{
    /// <summary>Length of the plan in years: 1, 2 or 3.</summary>
    public required int PlanYears { get; init; }

    /// <summary>What the buyer paid for the plan, in yuan; the basis of any cancellation refund.</summary>
    public required decimal PricePaid { get; init; }

    /// <summary>Whether the plan also covers accidental damage (综合保修), not only quality faults.</summary>
    public required bool IncludesAccidentalDamage { get; init; }
}
