using System.Text.Json.Serialization;

namespace Order.Domain;

public abstract record OrderCommand(string OrderId)
{
    /// <summary>The automatic receipt confirmation the service scheduled when the order shipped.</summary>
    /// <param name="Now">When the scheduler delivered it, from the service's clock.</param>
    public sealed record ConfirmReceiptAutomatically(string OrderId, DateTimeOffset Now) : OrderCommand(OrderId);
}

/// <summary>
/// The trade system's events as they arrive: late, twice, or out of order. Each carries the time
/// the trade system says it happened. Polymorphic JSON because a parked one is stored inside an event.
/// </summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(OrderPlaced), nameof(OrderPlaced))]
[JsonDerivedType(typeof(OrderPaid), nameof(OrderPaid))]
[JsonDerivedType(typeof(OrderShipped), nameof(OrderShipped))]
[JsonDerivedType(typeof(OrderDelivered), nameof(OrderDelivered))]
[JsonDerivedType(typeof(OrderReceiptConfirmed), nameof(OrderReceiptConfirmed))]
[JsonDerivedType(typeof(OrderLineRefunded), nameof(OrderLineRefunded))]
public abstract record TradeEvent(string OrderId) : OrderCommand(OrderId)
{
    /// <param name="RegionCode">Shipping province code.</param>
    public sealed record OrderPlaced(
        string OrderId,
        string BuyerId,
        string MerchantId,
        string RegionCode,
        DateTimeOffset PlacedAt,
        IReadOnlyList<OrderLine> Lines) : TradeEvent(OrderId);

    public sealed record OrderPaid(string OrderId, DateTimeOffset PaidAt) : TradeEvent(OrderId);

    public sealed record OrderShipped(string OrderId, DateTimeOffset ShippedAt) : TradeEvent(OrderId);

    public sealed record OrderDelivered(string OrderId, DateTimeOffset DeliveredAt) : TradeEvent(OrderId);

    /// <summary>The buyer confirmed receipt.</summary>
    public sealed record OrderReceiptConfirmed(string OrderId, DateTimeOffset ConfirmedAt) : TradeEvent(OrderId);

    /// <param name="RefundId">The trade system's refund id: a line may be refunded in parts, and
    /// only this id tells a second partial refund from a redelivery of the first.</param>
    public sealed record OrderLineRefunded(
        string OrderId,
        string RefundId,
        string LineId,
        decimal Amount,
        DateTimeOffset RefundedAt) : TradeEvent(OrderId);
}
