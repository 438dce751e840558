namespace Order.Domain.Tests;

/// <summary>One order as the trade system would report it, and the events it should produce.</summary>
internal static class Sample
{
    public const string OrderId = "TB-1001";
    public static readonly DateTimeOffset PlacedAt = new(2024, 3, 1, 2, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset PaidAt = PlacedAt.AddMinutes(5);
    public static readonly DateTimeOffset ShippedAt = PlacedAt.AddDays(1);
    public static readonly DateTimeOffset AutoConfirmAt = ShippedAt.AddDays(10);
    public static readonly DateTimeOffset DeliveredAt = PlacedAt.AddDays(3);
    public static readonly DateTimeOffset ConfirmedAt = PlacedAt.AddDays(4);

    public static readonly OrderLine Phone = new(
        "L1", "SKU-PHONE", "Phone X", "3C digital", "Acme", 2999m, 1, 12, 0, new ExtendedWarrantyPurchase(1, 199m, false));

    public static readonly OrderLine Cover = new("L2", "SKU-COVER", "Phone cover", "accessories", "", 25m, 2, 0, 6, null);

    public static readonly TradeEvent.OrderPlaced Placed = new(OrderId, "buyer-1", "merchant-1", "310000", PlacedAt, [Phone, Cover]);
    public static readonly TradeEvent.OrderPaid Paid = new(OrderId, PaidAt);
    public static readonly TradeEvent.OrderShipped Shipped = new(OrderId, ShippedAt);
    public static readonly TradeEvent.OrderDelivered Delivered = new(OrderId, DeliveredAt);
    public static readonly TradeEvent.OrderReceiptConfirmed Confirmed = new(OrderId, ConfirmedAt);

    /// <summary>Part of the phone, later than the buyer's confirmation.</summary>
    public static readonly TradeEvent.OrderLineRefunded PhoneRefund = new(OrderId, "R1", "L1", 300m, PlacedAt.AddDays(6));

    /// <summary>All of the covers.</summary>
    public static readonly TradeEvent.OrderLineRefunded CoverRefund = new(OrderId, "R2", "L2", 50m, PlacedAt.AddDays(7));

    public static readonly OrderCommand[] TradeEvents = [Placed, Paid, Shipped, Delivered, Confirmed, PhoneRefund, CoverRefund];

    public static OrderCommand.ConfirmReceiptAutomatically AutoConfirmation(DateTimeOffset now) => new(OrderId, now);

    public static readonly OrderEvent.OrderPlaced WasPlaced = new(OrderId, "buyer-1", "merchant-1", "310000", PlacedAt, [Phone, Cover]);
    public static readonly OrderEvent.OrderPaid WasPaid = new(OrderId, PaidAt);
    public static readonly OrderEvent.OrderShipped WasShipped = new(OrderId, ShippedAt, AutoConfirmAt);
    public static readonly OrderEvent.OrderDelivered WasDelivered = new(OrderId, DeliveredAt);
    public static readonly OrderEvent.OrderReceiptConfirmed WasConfirmed = new(OrderId, ConfirmedAt);

    public static OrderEvent.OrderCompleted WasCompleted(
        DateTimeOffset at, ConfirmedBy by, decimal phoneRefunded = 0m, decimal coverRefunded = 0m) =>
        new(OrderId, "buyer-1", "merchant-1", "310000", [new(Phone, phoneRefunded), new(Cover, coverRefunded)], at, by);

    public static readonly OrderEvent.OrderLineRefunded PhoneWasRefunded = new(OrderId, "R1", "L1", 300m, PlacedAt.AddDays(6), false);
    public static readonly OrderEvent.OrderLineRefunded CoverWasRefunded = new(OrderId, "R2", "L2", 50m, PlacedAt.AddDays(7), true);
}
