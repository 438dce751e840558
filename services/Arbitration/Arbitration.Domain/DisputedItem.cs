namespace Arbitration.Domain;

/// <summary>
/// The order line in dispute as the other services described it. The case carries it so that a
/// ruling tells Warranty and RepairDispatch everything they need to act without asking back.
/// </summary>
public sealed record DisputedItem(
    string ShippingRegion,
    string Sku,
    string Title,
    string Category,
    string Brand,
    string FaultDescription)
{
    /// <summary>A readable reason when a field is missing, else null.</summary>
    internal string? MissingField() =>
        string.IsNullOrWhiteSpace(ShippingRegion) ? "the shipping region is missing"
        : string.IsNullOrWhiteSpace(Sku) ? "the SKU is missing"
        : string.IsNullOrWhiteSpace(Title) ? "the product title is missing"
        : string.IsNullOrWhiteSpace(Category) ? "the product category is missing"
        : string.IsNullOrWhiteSpace(Brand) ? "the brand is missing"
        : string.IsNullOrWhiteSpace(FaultDescription) ? "the fault description is missing"
        : null;
}
