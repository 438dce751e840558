using Platform.Domain;
using static Order.Domain.Tests.OrderSpec;
using static Order.Domain.Tests.Sample;

namespace Order.Domain.Tests;

public class CompletionTests
{
    [Fact]
    public void Shipping_schedules_the_automatic_confirmation_ten_days_later() =>
        GivenArrived(Placed).When(Shipped).Then(new OrderEvent.OrderShipped(OrderId, ShippedAt, ShippedAt.AddDays(10)));

    [Fact]
    public void The_automatic_confirmation_delay_is_policy() =>
        Given(new OrderPolicy { AutoConfirmAfter = TimeSpan.FromDays(7) }, WasPlaced)
            .When(Shipped)
            .Then(new OrderEvent.OrderShipped(OrderId, ShippedAt, ShippedAt.AddDays(7)));

    [Fact]
    public void The_buyers_confirmation_completes_the_order_with_a_snapshot_of_the_lines() =>
        Given(WasPlaced, WasPaid, WasShipped).When(Confirmed)
            .Then(WasConfirmed, WasCompleted(ConfirmedAt, ConfirmedBy.Buyer));

    [Fact]
    public void The_buyer_may_confirm_receipt_before_shipping()
    {
        var state = Given(WasPlaced, WasPaid).When(Confirmed).Then(WasConfirmed, WasCompleted(ConfirmedAt, ConfirmedBy.Buyer));

        Assert.Equal(OrderStatus.Completed, state.Status);
    }

    [Fact]
    public void The_automatic_confirmation_completes_a_shipped_order_when_due() =>
        Given(WasPlaced, WasPaid, WasShipped).When(AutoConfirmation(AutoConfirmAt))
            .Then(WasCompleted(AutoConfirmAt, ConfirmedBy.System));

    [Fact]
    public void A_late_automatic_confirmation_completes_the_order_at_its_due_time() =>
        Given(WasPlaced, WasPaid, WasShipped).When(AutoConfirmation(AutoConfirmAt.AddHours(30)))
            .Then(WasCompleted(AutoConfirmAt, ConfirmedBy.System));

    [Fact]
    public void An_early_automatic_confirmation_is_refused_with_the_time_to_retry()
    {
        var refused = Given(WasPlaced, WasShipped).When(AutoConfirmation(AutoConfirmAt.AddSeconds(-1)))
            .ThenRefused(OrderRefusalCode.AutoConfirmationNotDue);

        Assert.Equal(AutoConfirmAt, refused.RetryAt);
    }

    [Fact]
    public void The_automatic_confirmation_after_the_buyer_confirmed_has_no_effect() =>
        Given(WasPlaced, WasShipped, WasConfirmed, WasCompleted(ConfirmedAt, ConfirmedBy.Buyer))
            .When(AutoConfirmation(AutoConfirmAt))
            .ThenNothing();

    [Fact]
    public void The_buyers_confirmation_after_the_automatic_one_has_no_effect() =>
        Given(WasPlaced, WasShipped, WasCompleted(AutoConfirmAt, ConfirmedBy.System))
            .When(Confirmed with { ConfirmedAt = AutoConfirmAt.AddDays(1) })
            .ThenNothing();

    [Fact]
    public void The_automatic_confirmation_of_an_order_not_shipped_has_no_effect() =>
        Given(WasPlaced, WasPaid).When(AutoConfirmation(AutoConfirmAt)).ThenNothing();

    [Fact]
    public void The_automatic_confirmation_of_an_order_not_yet_placed_has_no_effect() =>
        GivenArrived(Shipped).When(AutoConfirmation(AutoConfirmAt)).ThenNothing();

    [Fact]
    public void The_automatic_confirmation_delivered_twice_completes_once() =>
        Given(WasPlaced, WasShipped, WasCompleted(AutoConfirmAt, ConfirmedBy.System))
            .When(AutoConfirmation(AutoConfirmAt.AddMinutes(1)))
            .ThenNothing();

    [Fact]
    public void A_second_buyer_confirmation_at_another_time_is_refused() =>
        Given(WasPlaced, WasConfirmed, WasCompleted(ConfirmedAt, ConfirmedBy.Buyer))
            .When(Confirmed with { ConfirmedAt = ConfirmedAt.AddHours(2) })
            .ThenRefused(OrderRefusalCode.ConflictingTradeEvent);

    [Fact]
    public void Every_confirmation_together_completes_the_order_exactly_once()
    {
        var history = History.Run(
        [
            Placed, Shipped, AutoConfirmation(AutoConfirmAt.AddDays(-1)), Confirmed, Confirmed,
            AutoConfirmation(AutoConfirmAt), AutoConfirmation(AutoConfirmAt), Confirmed,
        ]);

        var completed = Assert.Single(history.Events.OfType<OrderEvent.OrderCompleted>());
        Assert.Equal(ConfirmedBy.Buyer, completed.ConfirmedBy);
    }

    [Fact]
    public void A_refund_before_completion_shows_in_the_completion_snapshot() =>
        GivenArrived(Placed, Shipped, CoverRefund).When(Confirmed)
            .Then(WasConfirmed, WasCompleted(ConfirmedAt, ConfirmedBy.Buyer, coverRefunded: 50m));

    [Fact]
    public void A_refund_after_completion_emits_the_line_refund_to_publish()
    {
        var state = GivenArrived(Placed, Shipped, Confirmed).When(CoverRefund).Then(CoverWasRefunded);

        Assert.Equal(OrderStatus.Completed, state.Status);
    }

    [Fact]
    public void A_partial_refund_does_not_count_the_line_as_refunded()
    {
        var state = GivenArrived(Placed, Confirmed).When(PhoneRefund).Then(PhoneWasRefunded);

        Assert.Equal(300m, state.RefundedAmount("L1"));
    }

    [Fact]
    public void A_free_line_never_counts_as_refunded()
    {
        var gift = new OrderLine("L3", "SKU-GIFT", "Gift sticker", "accessories", "", 0m, 1, 0, 0, null);
        var state = GivenArrived(Placed with { Lines = [Phone, Cover, gift] }, Confirmed).When(CoverRefund).Then(CoverWasRefunded);

        Assert.False(gift.IsRefundedBy(state.RefundedAmount(gift.LineId)));
    }

    [Fact]
    public void The_completion_snapshot_marks_only_lines_refunded_in_full()
    {
        var gift = new OrderLine("L3", "SKU-GIFT", "Gift sticker", "accessories", "", 0m, 1, 0, 0, null);
        var decision = GivenArrived(Placed with { Lines = [Phone, Cover, gift] }, PhoneRefund, CoverRefund).When(Confirmed).Decision;

        var completed = Assert.Single(Assert.IsType<Decision<OrderEvent>.Accepted>(decision).Events.OfType<OrderEvent.OrderCompleted>());
        Assert.Equal([("L1", false), ("L2", true), ("L3", false)], completed.Lines.Select(line => (line.Line.LineId, line.Refunded)));
    }

    /// <summary>The trade system's refund ids tell two equal parts at one instant from one part sent twice.</summary>
    [Fact]
    public void Two_refunds_alike_in_line_amount_and_instant_count_twice_when_their_ids_differ() =>
        GivenArrived(Placed, CoverRefund with { RefundId = "R7", Amount = 25m })
            .When(CoverRefund with { RefundId = "R8", Amount = 25m })
            .Then(CoverWasRefunded with { RefundId = "R8", Amount = 25m });

    [Fact]
    public void Refunds_adding_up_to_the_amount_paid_refund_the_line() =>
        GivenArrived(Placed, CoverRefund with { RefundId = "R5", Amount = 30m })
            .When(CoverRefund with { Amount = 20m })
            .Then(CoverWasRefunded with { Amount = 20m });
}
