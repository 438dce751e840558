using Platform.Contracts.Trade.V1;
using Platform.Testing;

namespace Platform.EndToEnd.Tests;

/// <summary>Plays the marketplace's trade system: an order's whole life, published on the bus.</summary>
public static class TradeSystem
{
    public static OrderLine Phone(string lineId, int nationalWarrantyMonths = 12) => new()
    {
        LineId = lineId,
        Sku = "SKU-PHONE-1",
        Title = "Phone 15, 256 GB",
        Category = "phones",
        Brand = "Acme",
        UnitPrice = 4999m,
        Quantity = 1,
        ManufacturerWarrantyMonths = nationalWarrantyMonths,
        MerchantWarrantyMonths = 0,
    };

    /// <summary>Placed, paid, shipped, delivered and confirmed by the buyer at <paramref name="at"/>.</summary>
    public static async Task CompleteOrder(BusProbe probe, string orderId, string buyerId, string merchantId, DateTimeOffset at, params OrderLine[] lines)
    {
        await probe.Publish(new OrderPlaced { OrderId = orderId, BuyerId = buyerId, MerchantId = merchantId, ShippingRegion = "310000", Lines = lines, PlacedAt = at });
        await probe.Publish(new OrderPaid { OrderId = orderId, PaidAt = at });
        await probe.Publish(new OrderShipped { OrderId = orderId, ShippedAt = at });
        await probe.Publish(new OrderDelivered { OrderId = orderId, DeliveredAt = at });
        await probe.Publish(new OrderReceiptConfirmed { OrderId = orderId, ConfirmedAt = at });
    }
}
