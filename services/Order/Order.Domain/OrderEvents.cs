using System.Text.Json.Serialization;

namespace Order.Domain;

[JsonPolymorphic]
[JsonDerivedType(typeof(OrderPlaced), nameof(OrderPlaced))]
[JsonDerivedType(typeof(OrderPaid), nameof(OrderPaid))]
[JsonDerivedType(typeof(OrderShipped), nameof(OrderShipped))]
[JsonDerivedType(typeof(OrderDelivered), nameof(OrderDelivered))]
[JsonDerivedType(typeof(OrderReceiptConfirmed), nameof(OrderReceiptConfirmed))]
[JsonDerivedType(typeof(OrderCompleted), nameof(OrderCompleted))]
[JsonDerivedType(typeof(OrderLineRefunded), nameof(OrderLineRefunded))]
[JsonDerivedType(typeof(TradeEventParked), nameof(TradeEventParked))]
[JsonDerivedType(typeof(ParkedTradeEventRejected), nameof(ParkedTradeEventRejected))]
public abstract record OrderEvent(string OrderId)
{
    public sealed record OrderPlaced(
        string OrderId,
        string BuyerId,
        string MerchantId,
        string RegionCode,
        DateTimeOffset PlacedAt,
        IReadOnlyList<OrderLine> Lines) : OrderEvent(OrderId);

    public sealed record OrderPaid(string OrderId, DateTimeOffset PaidAt) : OrderEvent(OrderId);

    /// <param name="AutoConfirmAt">When the service must deliver ConfirmReceiptAutomatically.</param>
    public sealed record OrderShipped(string OrderId, DateTimeOffset ShippedAt, DateTimeOffset AutoConfirmAt)
        : OrderEvent(OrderId);

    public sealed record OrderDelivered(string OrderId, DateTimeOffset DeliveredAt) : OrderEvent(OrderId);

    public sealed record OrderReceiptConfirmed(string OrderId, DateTimeOffset ConfirmedAt) : OrderEvent(OrderId);

    /// <summary>Transaction success: the moment d0 is counted from. The service publishes it.</summary>
    public sealed record OrderCompleted(
        string OrderId,
        string BuyerId,
        string MerchantId,
        string RegionCode,
        IReadOnlyList<CompletedLine> Lines,
        DateTimeOffset CompletedAt,
        ConfirmedBy ConfirmedBy) : OrderEvent(OrderId);

    /// <summary>The service publishes it.</summary>
    /// <param name="LineFullyRefunded">All that was paid for the line is now refunded: the line counts as refunded.</param>
    public sealed record OrderLineRefunded(
        string OrderId,
        string RefundId,
        string LineId,
        decimal Amount,
        DateTimeOffset RefundedAt,
        bool LineFullyRefunded) : OrderEvent(OrderId);

    /// <summary>A trade event that came before its OrderPlaced, kept until the order arrives.</summary>
    public sealed record TradeEventParked(string OrderId, TradeEvent TradeEvent) : OrderEvent(OrderId);

    /// <summary>
    /// A parked trade event that turned out to contradict the order once it arrived (a refund of an
    /// unknown line, say). The order is placed all the same; this keeps the bad event for an operator.
    /// </summary>
    public sealed record ParkedTradeEventRejected(
        string OrderId,
        TradeEvent TradeEvent,
        OrderRefusalCode Code,
        string Reason) : OrderEvent(OrderId);
}

[JsonConverter(typeof(JsonStringEnumConverter<ConfirmedBy>))]
public enum ConfirmedBy
{
    Buyer,
    System,
}
