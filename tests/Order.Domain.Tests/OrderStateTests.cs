using static Order.Domain.Tests.OrderSpec;
using static Order.Domain.Tests.Sample;

namespace Order.Domain.Tests;

public class OrderStateTests
{
    [Fact]
    public void The_status_follows_the_furthest_step_reached()
    {
        var state = OrderState.Initial;
        var seen = new List<OrderStatus> { state.Status };
        foreach (var @event in new OrderEvent[] { WasPlaced, WasPaid, WasShipped, WasDelivered, WasConfirmed, WasCompleted(ConfirmedAt, ConfirmedBy.Buyer) })
        {
            state = OrderState.Evolve(state, @event);
            seen.Add(state.Status);
        }

        Assert.Equal(
            [
                OrderStatus.NotPlaced, OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Shipped,
                OrderStatus.Delivered, OrderStatus.Delivered, OrderStatus.Completed,
            ],
            seen);
    }

    [Fact]
    public void A_shipment_reported_before_the_payment_counts_as_shipped() =>
        Assert.Equal(OrderStatus.Shipped, GivenArrived(Placed, Shipped).When(Paid).Then(WasPaid).Status);

    [Fact]
    public void The_timeline_lists_what_happened_by_the_trade_systems_times_whatever_the_arrival_order()
    {
        var state = History.Run([Delivered, Placed, CoverRefund, Confirmed, Shipped, Paid]).State;

        Assert.Equal(
            [
                (PlacedAt, OrderMilestone.Placed),
                (PaidAt, OrderMilestone.Paid),
                (ShippedAt, OrderMilestone.Shipped),
                (DeliveredAt, OrderMilestone.Delivered),
                (ConfirmedAt, OrderMilestone.ReceiptConfirmed),
                (ConfirmedAt, OrderMilestone.Completed),
                (CoverRefund.RefundedAt, OrderMilestone.LineRefunded),
            ],
            state.Timeline.Select(entry => (entry.At, entry.Milestone)));
        Assert.Equal("line L2: 50 yuan (refund R2)", state.Timeline[^1].Detail);
        Assert.Equal("confirmed by Buyer", state.Timeline[^2].Detail);
    }

    [Fact]
    public void A_parked_event_does_not_show_until_the_order_is_placed()
    {
        var state = History.Run([Paid]).State;

        Assert.Empty(state.Timeline);
        Assert.Equal(OrderStatus.NotPlaced, state.Status);
    }

    [Fact]
    public void Every_event_round_trips_through_json_as_an_event_store_would_keep_it()
    {
        OrderEvent[] events =
        [
            WasPlaced, WasPaid, WasShipped, WasDelivered, WasConfirmed, WasCompleted(ConfirmedAt, ConfirmedBy.System, 1m, 2m),
            PhoneWasRefunded, new OrderEvent.TradeEventParked(OrderId, PhoneRefund),
            new OrderEvent.ParkedTradeEventRejected(OrderId, Confirmed, OrderRefusalCode.UnknownLine, "why"),
        ];

        foreach (var @event in events)
        {
            var json = Json.Of(@event);
            var read = System.Text.Json.JsonSerializer.Deserialize<OrderEvent>(json);
            Assert.Equal(@event.GetType(), read!.GetType());
            Assert.Equal(json, Json.Of(read));
        }
    }
}
