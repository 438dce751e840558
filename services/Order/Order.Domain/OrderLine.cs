using System.Text.Json.Serialization;

namespace Order.Domain;

/// <summary>One line of an order as the trade system placed it. Prices are yuan.</summary>
/// <param name="ManufacturerWarrantyMonths">National joint warranty (全国联保); 0 = none.</param>
/// <param name="MerchantWarrantyMonths">Merchant's own quality commitment; 0 = none.</param>
/// <param name="ExtendedWarranty">The extended warranty (延保) bought at checkout, if any.</param>
public sealed record OrderLine(
    string LineId,
    string Sku,
    string Title,
    string Category,
    string Brand,
    decimal UnitPrice,
    int Quantity,
    int ManufacturerWarrantyMonths,
    int MerchantWarrantyMonths,
    ExtendedWarrantyPurchase? ExtendedWarranty)
{
    // The extended warranty is a separate purchase cancelled and refunded by the Warranty service,
    // so a refund of the line is bounded by the goods alone.
    [JsonIgnore]
    public decimal AmountPaid => UnitPrice * Quantity;

    /// <summary>
    /// Refunds adding up to all that was paid refund the line; a partial refund (a price adjustment)
    /// leaves it standing, and a free line (a gift) has nothing to refund, so it never counts as refunded.
    /// </summary>
    public bool IsRefundedBy(decimal refundedAmount) => refundedAmount > 0 && refundedAmount == AmountPaid;
}

/// <param name="IncludesAccidentalDamage">Comprehensive cover (综合保修), not only quality faults.</param>
public sealed record ExtendedWarrantyPurchase(int PlanYears, decimal PricePaid, bool IncludesAccidentalDamage)
{
    public static IReadOnlyList<int> PlansOffered { get; } = [1, 2, 3];
}

/// <summary>A line as it stood when the order completed, for the Warranty service to open its file.</summary>
public sealed record CompletedLine(OrderLine Line, decimal RefundedAmount)
{
    [JsonIgnore]
    public bool Refunded => Line.IsRefundedBy(RefundedAmount);
}
