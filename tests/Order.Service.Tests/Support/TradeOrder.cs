using Trade = Platform.Contracts.Trade.V1;

namespace Order.Service.Tests.Support;

/// <summary>One order as the trade system reports it, with ids no other test uses.</summary>
internal sealed record TradeOrder(string OrderId, string BuyerId, string MerchantId, DateTimeOffset PlacedAt)
{
    public const string Region = "310000";

    /// <summary>2999 yuan, a 12-month national warranty and a 1-year extended warranty.</summary>
    public static readonly Trade.OrderLine Phone = new()
    {
        LineId = "L1",
        Sku = "SKU-PHONE",
        Title = "Phone X",
        Category = "3C digital",
        Brand = "Acme",
        UnitPrice = 2999m,
        Quantity = 1,
        ManufacturerWarrantyMonths = 12,
        MerchantWarrantyMonths = 0,
        ExtendedWarranty = new() { PlanYears = 1, PricePaid = 199m, IncludesAccidentalDamage = false },
    };

    /// <summary>Two covers at 25 yuan, with the merchant's 6-month commitment.</summary>
    public static readonly Trade.OrderLine Cover = new()
    {
        LineId = "L2",
        Sku = "SKU-COVER",
        Title = "Phone cover",
        Category = "accessories",
        Brand = "",
        UnitPrice = 25m,
        Quantity = 2,
        ManufacturerWarrantyMonths = 0,
        MerchantWarrantyMonths = 6,
    };

    /// <summary>An order placed now by the environment's clock.</summary>
    public static TradeOrder New(TimeProvider clock, string? buyerId = null, string? merchantId = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        return new($"TB-{tag}", buyerId ?? $"buyer-{tag}", merchantId ?? $"merchant-{tag}", clock.GetUtcNow());
    }

    public DateTimeOffset PaidAt => PlacedAt.AddMinutes(5);
    public DateTimeOffset ShippedAt => PlacedAt.AddHours(20);
    public DateTimeOffset DeliveredAt => PlacedAt.AddDays(2);
    public DateTimeOffset ConfirmedAt => PlacedAt.AddDays(3);

    public Trade.OrderPlaced Placed => new()
    {
        OrderId = OrderId,
        BuyerId = BuyerId,
        MerchantId = MerchantId,
        ShippingRegion = Region,
        Lines = [Phone, Cover],
        PlacedAt = PlacedAt,
    };

    public Trade.OrderPaid Paid => new() { OrderId = OrderId, PaidAt = PaidAt };
    public Trade.OrderShipped Shipped => new() { OrderId = OrderId, ShippedAt = ShippedAt };
    public Trade.OrderDelivered Delivered => new() { OrderId = OrderId, DeliveredAt = DeliveredAt };
    public Trade.OrderReceiptConfirmed Confirmed => new() { OrderId = OrderId, ConfirmedAt = ConfirmedAt };

    public Trade.OrderLineRefunded Refund(string lineId, decimal amount, DateTimeOffset refundedAt) => new()
    {
        OrderId = OrderId,
        LineId = lineId,
        RefundAmount = amount,
        RefundedAt = refundedAt,
    };
}
