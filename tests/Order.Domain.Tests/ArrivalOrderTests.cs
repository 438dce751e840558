using Platform.Domain;
using static Order.Domain.Tests.OrderSpec;
using static Order.Domain.Tests.Sample;

namespace Order.Domain.Tests;

public class ArrivalOrderTests
{
    [Fact]
    public void Events_in_order_each_record_their_fact_and_the_buyer_completes_the_order()
    {
        var history = History.Run(TradeEvents);

        Assert.Equal(
            new OrderEvent[]
            {
                WasPlaced, WasPaid, WasShipped, WasDelivered, WasConfirmed,
                WasCompleted(ConfirmedAt, ConfirmedBy.Buyer), PhoneWasRefunded, CoverWasRefunded,
            }.Select(Json.Of),
            history.Events.Select(Json.Of));
        Assert.All(history.Decisions, decision => Assert.IsType<Decision<OrderEvent>.Accepted>(decision));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_trade_event_before_its_OrderPlaced_is_parked(int index)
    {
        var early = (TradeEvent)TradeEvents[index];

        var state = Given().When(early).Then(new OrderEvent.TradeEventParked(OrderId, early));

        Assert.Equal(OrderStatus.NotPlaced, state.Status);
        Assert.Equal([early], state.Parked);
    }

    [Fact]
    public void All_events_before_OrderPlaced_are_applied_when_it_arrives_paid_shipped_delivered_confirmed_refunded()
    {
        var reversed = TradeEvents.Skip(1).Reverse().ToArray();
        var parked = reversed.Select(e => (OrderEvent)new OrderEvent.TradeEventParked(OrderId, (TradeEvent)e)).ToArray();

        Given(parked).When(Placed).Then(
            WasPlaced, WasPaid, WasShipped, WasDelivered, WasConfirmed,
            WasCompleted(ConfirmedAt, ConfirmedBy.Buyer), PhoneWasRefunded, CoverWasRefunded);
    }

    [Fact]
    public void A_refund_made_before_the_confirmation_shows_in_the_snapshot_whichever_arrived_first()
    {
        var earlyRefund = CoverRefund with { RefundedAt = PaidAt.AddHours(1) };
        var inOrder = History.Run([Placed, Paid, earlyRefund, Confirmed]);
        var parked = History.Run([Confirmed, earlyRefund, Paid, Placed]);

        var expected = WasCompleted(ConfirmedAt, ConfirmedBy.Buyer, coverRefunded: 50m);
        Assert.Equal(Json.Of(expected), Json.Of(inOrder.Events.OfType<OrderEvent.OrderCompleted>().Single()));
        Assert.Equal(Json.Of(expected), Json.Of(parked.Events.OfType<OrderEvent.OrderCompleted>().Single()));
    }

    [Fact]
    public void Reversed_arrival_ends_in_the_same_state_as_arrival_in_order()
    {
        var inOrder = History.Run(TradeEvents);
        var reversed = History.Run(TradeEvents.Reverse());

        Assert.Equal(Json.Of(inOrder.State), Json.Of(reversed.State));
        Assert.Empty(reversed.State.Parked);
        Assert.Equal(1, reversed.Completions);
    }

    [Fact]
    public void Every_event_delivered_twice_changes_nothing_the_second_time()
    {
        var once = History.Run(TradeEvents);
        var twice = History.Run(TradeEvents.SelectMany(e => new[] { e, e }));

        Assert.Equal(Json.Of(once.State), Json.Of(twice.State));
        Assert.Equal(once.Events.Select(Json.Of), twice.Events.Select(Json.Of));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void A_duplicate_of_an_applied_event_yields_no_events(int index) =>
        GivenArrived(TradeEvents).When(TradeEvents[index]).ThenNothing();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_duplicate_of_a_parked_event_yields_no_events(int index) =>
        GivenArrived(TradeEvents[index]).When(TradeEvents[index]).ThenNothing();

    [Fact]
    public void A_parked_event_contradicted_by_a_later_one_keeps_the_first()
    {
        var refused = GivenArrived(Paid).When(Paid with { PaidAt = PaidAt.AddHours(1) })
            .ThenRefused(OrderRefusalCode.ConflictingTradeEvent);

        Assert.Contains("OrderPaid", refused.Reason);
    }

    [Fact]
    public void Two_different_parked_refunds_of_one_line_are_both_kept()
    {
        var second = PhoneRefund with { RefundId = "R3", Amount = 100m };

        GivenArrived(PhoneRefund).When(second).Then(new OrderEvent.TradeEventParked(OrderId, second));
    }

    [Fact]
    public void A_parked_refund_of_an_unknown_line_is_rejected_for_an_operator_while_the_order_is_placed()
    {
        var stray = PhoneRefund with { LineId = "L9" };

        var state = GivenArrived(Paid, stray).When(Placed).Then(
            WasPlaced,
            WasPaid,
            new OrderEvent.ParkedTradeEventRejected(
                OrderId, stray, OrderRefusalCode.UnknownLine, "refund R1 names line L9, which order TB-1001 does not have"));

        Assert.Equal(OrderStatus.Paid, state.Status);
        Assert.Empty(state.Parked);
        Assert.Empty(state.Refunds);
    }

    [Fact]
    public void Parked_refunds_that_together_exceed_the_line_keep_the_earlier_and_reject_the_later()
    {
        var first = CoverRefund with { RefundId = "R5", Amount = 40m };
        var second = CoverRefund with { RefundId = "R6", Amount = 20m, RefundedAt = CoverRefund.RefundedAt.AddHours(1) };

        var decision = GivenArrived(second, first).When(Placed).Decision;

        var events = Assert.IsType<Decision<OrderEvent>.Accepted>(decision).Events;
        Assert.Equal(3, events.Count);
        Assert.Equal("R5", Assert.IsType<OrderEvent.OrderLineRefunded>(events[1]).RefundId);
        var rejected = Assert.IsType<OrderEvent.ParkedTradeEventRejected>(events[2]);
        Assert.Equal((second, OrderRefusalCode.RefundExceedsAmountPaid), (rejected.TradeEvent, rejected.Code));
    }
}
