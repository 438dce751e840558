using Order.Domain;
using Platform.EventSourcing;

namespace Order.Service;

/// <summary>
/// The names the order stream's events are stored under. They are part of the stored data: a name
/// never changes once events carry it, whatever the class is called.
/// </summary>
public static class EventTypes
{
    public static MessageTypeRegistry Register(MessageTypeRegistry types) => types
        .Register<OrderEvent.OrderPlaced>("order.order-placed")
        .Register<OrderEvent.OrderPaid>("order.order-paid")
        .Register<OrderEvent.OrderShipped>("order.order-shipped")
        .Register<OrderEvent.OrderDelivered>("order.order-delivered")
        .Register<OrderEvent.OrderReceiptConfirmed>("order.order-receipt-confirmed")
        .Register<OrderEvent.OrderCompleted>("order.order-completed")
        .Register<OrderEvent.OrderLineRefunded>("order.order-line-refunded")
        .Register<OrderEvent.TradeEventParked>("order.trade-event-parked")
        .Register<OrderEvent.ParkedTradeEventRejected>("order.parked-trade-event-rejected");
}
