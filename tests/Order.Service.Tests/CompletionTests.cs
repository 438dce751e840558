using Order.Domain;
using Order.Service.Tests.Support;
using Platform.Testing;
using Platform.Contracts.Orders.V1;

namespace Order.Service.Tests;

/// <summary>Trade events in order, reversed and duplicated: the order completes once, with its snapshot.</summary>
public sealed class CompletionTests : OrderServiceTest
{
    [Fact]
    public async Task Trade_events_in_order_complete_the_order_as_confirmed_by_the_buyer_with_a_snapshot_of_the_lines()
    {
        var order = NewOrder();
        var completedBefore = Metrics.Sum(OrderMetrics.CompletedName, "confirmed_by=Buyer");

        await Publish(order.Placed, order.Paid, order.Shipped, order.Delivered, order.Confirmed);

        var completed = await Completion(order.OrderId);
        Assert.Equal((order.BuyerId, order.MerchantId, TradeOrder.Region), (completed.BuyerId, completed.MerchantId, completed.ShippingRegion));
        Assert.Equal(order.ConfirmedAt, completed.CompletedAt);
        Assert.Equal(ReceiptConfirmedBy.Buyer, completed.ConfirmedBy);
        Assert.Equal(
            [
                new CompletedOrderLine
                {
                    LineId = "L1", Sku = "SKU-PHONE", Title = "Phone X", Category = "3C digital", Brand = "Acme", UnitPrice = 2999m, Quantity = 1,
                    ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 0, Refunded = false,
                    ExtendedWarranty = new() { PlanYears = 1, PricePaid = 199m, IncludesAccidentalDamage = false },
                },
                new CompletedOrderLine
                {
                    LineId = "L2", Sku = "SKU-COVER", Title = "Phone cover", Category = "accessories", Brand = "", UnitPrice = 25m, Quantity = 2,
                    ManufacturerWarrantyMonths = 0, MerchantWarrantyMonths = 6, Refunded = false, ExtendedWarranty = null,
                },
            ],
            completed.Lines);
        await Eventually.Until(() => Metrics.Sum(OrderMetrics.CompletedName, "confirmed_by=Buyer") == completedBefore + 1,
            Patience, "the completion is counted as confirmed by the buyer");
    }

    [Fact]
    public async Task Confirmation_shipping_and_a_refund_before_the_order_are_kept_and_applied_when_it_arrives()
    {
        var order = NewOrder();
        await Publish(order.Confirmed, order.Shipped, order.Refund("L2", 50m, order.PaidAt.AddHours(1)));
        await Eventually.Until(async () => await StoredEvents<OrderEvent.TradeEventParked>(order.OrderId) == 3,
            Patience, "the three early events wait for their order");
        Assert.Empty(CompletionsOf(order.OrderId));

        await Publish(order.Placed);

        var completed = await Completion(order.OrderId);
        Assert.Equal((order.ConfirmedAt, ReceiptConfirmedBy.Buyer), (completed.CompletedAt, completed.ConfirmedBy));
        Assert.Equal([("L1", false), ("L2", true)], completed.Lines.Select(line => (line.LineId, line.Refunded)));
        var refunded = await Probe.WaitFor<OrderLineRefunded>(m => m.OrderId == order.OrderId, Patience, "the early refund is published");
        Assert.Equal(("L2", order.BuyerId, 50m), (refunded.LineId, refunded.BuyerId, refunded.RefundAmount));
        // Completed in the same decision that shipped it: there is nothing left to confirm automatically.
        Assert.Equal(0, await ScheduledConfirmations(order.OrderId));
    }

    [Fact]
    public async Task A_redelivered_or_resent_event_changes_nothing_and_the_order_completes_once()
    {
        var order = NewOrder();
        var placed = Guid.NewGuid();
        var confirmed = Guid.NewGuid();
        await PublishAndWaitConsumed(order.Placed, placed);
        await PublishAndWaitConsumed(order.Placed, placed);
        await PublishAndWaitConsumed(order.Placed, Guid.NewGuid());
        await PublishAndWaitConsumed(order.Confirmed, confirmed);
        await Completion(order.OrderId);

        await PublishAndWaitConsumed(order.Confirmed, confirmed);
        await PublishAndWaitConsumed(order.Confirmed, Guid.NewGuid());
        // A later order's completion is published after anything the duplicates could have caused.
        var witness = NewOrder();
        await Publish(witness.Placed, witness.Confirmed);
        await Completion(witness.OrderId);

        Assert.Single(CompletionsOf(order.OrderId));
        Assert.Equal(1, await StoredEvents<OrderEvent.OrderPlaced>(order.OrderId));
        Assert.Equal(1, await StoredEvents<OrderEvent.OrderCompleted>(order.OrderId));
    }

    [Fact]
    public async Task A_line_refunded_in_parts_after_completion_is_published_once_when_refunded_in_full()
    {
        var order = NewOrder();
        await Publish(order.Placed, order.Confirmed);
        await Completion(order.OrderId);
        var firstPart = order.Refund("L2", 20m, order.ConfirmedAt.AddDays(1));

        await PublishAndWaitConsumed(firstPart, Guid.NewGuid());
        // The same refund sent again, its amount written with another scale: still the same refund.
        await PublishAndWaitConsumed(firstPart with { RefundAmount = 20.00m }, Guid.NewGuid());
        await Publish(order.Refund("L2", 30m, order.ConfirmedAt.AddDays(2)));

        var refunded = await Probe.WaitFor<OrderLineRefunded>(m => m.OrderId == order.OrderId, Patience, "the line refunded in full is published");
        Assert.Equal(("L2", order.BuyerId, 50m, order.ConfirmedAt.AddDays(2)), (refunded.LineId, refunded.BuyerId, refunded.RefundAmount, refunded.RefundedAt));
        Assert.Single(Probe.Received<OrderLineRefunded>(), o => o.Message.OrderId == order.OrderId);
        var view = await ReadOrder(order.OrderId);
        Assert.Equal([(0m, false), (50m, true)], view.Lines.Select(line => (line.RefundedAmount, line.Refunded)));
    }

    [Fact]
    public async Task Two_halves_refunded_at_one_instant_with_their_own_ids_refund_the_line_and_a_resent_half_does_not_count_again()
    {
        var order = NewOrder();
        await Publish(order.Placed, order.Confirmed);
        await Completion(order.OrderId);
        var at = order.ConfirmedAt.AddDays(1);
        var firstHalf = order.Refund("L2", 25m, at) with { RefundId = "RF-1" };

        await PublishAndWaitConsumed(firstHalf, Guid.NewGuid());
        await PublishAndWaitConsumed(firstHalf, Guid.NewGuid());
        Assert.Equal(25m, (await ReadOrder(order.OrderId)).Lines.Single(line => line.LineId == "L2").RefundedAmount);
        // Without the ids the second half would read as the first sent again, and the line would stay unrefunded.
        await Publish(firstHalf with { RefundId = "RF-2" });

        var refunded = await Probe.WaitFor<OrderLineRefunded>(m => m.OrderId == order.OrderId, Patience, "the line refunded in full is published");
        Assert.Equal(("L2", 50m, at), (refunded.LineId, refunded.RefundAmount, refunded.RefundedAt));
        var view = await ReadOrder(order.OrderId);
        Assert.Equal([(0m, false), (50m, true)], view.Lines.Select(line => (line.RefundedAmount, line.Refunded)));
    }
}
