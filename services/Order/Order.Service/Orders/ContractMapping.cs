using Order.Domain;
using Orders = Platform.Contracts.Orders.V1;

namespace Order.Service;

/// <summary>Between the domain's order and the Orders.V1 messages the other services read.</summary>
public static class ContractMapping
{
    public static Orders.AutomaticReceiptConfirmationDue ConfirmationDue(string orderId, DateTimeOffset dueAt) =>
        new() { OrderId = orderId, DueAt = dueAt };

    public static Orders.OrderLineRefunded LineRefunded(OrderEvent.OrderLineRefunded refunded, OrderState after) => new()
    {
        OrderId = refunded.OrderId,
        LineId = refunded.LineId,
        BuyerId = after.Placement!.BuyerId,
        // All that was refunded on the line, not only the last part: the line is refunded as a whole.
        RefundAmount = after.RefundedAmount(refunded.LineId),
        RefundedAt = refunded.RefundedAt,
    };

    public static Orders.OrderCompleted Completed(OrderEvent.OrderCompleted completed) => new()
    {
        OrderId = completed.OrderId,
        BuyerId = completed.BuyerId,
        MerchantId = completed.MerchantId,
        ShippingRegion = completed.RegionCode,
        Lines = [.. completed.Lines.Select(Line)],
        CompletedAt = completed.CompletedAt,
        ConfirmedBy = completed.ConfirmedBy switch
        {
            ConfirmedBy.Buyer => Orders.ReceiptConfirmedBy.Buyer,
            ConfirmedBy.System => Orders.ReceiptConfirmedBy.System,
            _ => throw new ArgumentOutOfRangeException(nameof(completed), completed.ConfirmedBy, "Unknown confirmer"),
        },
    };

    private static Orders.CompletedOrderLine Line(CompletedLine completed) => new()
    {
        LineId = completed.Line.LineId,
        Sku = completed.Line.Sku,
        Title = completed.Line.Title,
        Category = completed.Line.Category,
        Brand = completed.Line.Brand,
        UnitPrice = completed.Line.UnitPrice,
        Quantity = completed.Line.Quantity,
        ManufacturerWarrantyMonths = completed.Line.ManufacturerWarrantyMonths,
        MerchantWarrantyMonths = completed.Line.MerchantWarrantyMonths,
        ExtendedWarranty = completed.Line.ExtendedWarranty is { } plan
            ? new Orders.ExtendedWarrantyPurchase
            {
                PlanYears = plan.PlanYears,
                PricePaid = plan.PricePaid,
                IncludesAccidentalDamage = plan.IncludesAccidentalDamage,
            }
            : null,
        Refunded = completed.Refunded,
    };
}
