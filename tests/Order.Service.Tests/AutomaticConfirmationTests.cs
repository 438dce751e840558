using Order.Domain;
using Order.Service.Features.ConfirmReceiptAutomatically;
using Order.Service.Tests.Support;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.Contracts.Orders.V1;

namespace Order.Service.Tests;

/// <summary>
/// The automatic receipt confirmation under a compressed clock: 300,000 times real time, so the
/// ten days after shipping pass in about three seconds.
/// </summary>
public sealed class AutomaticConfirmationTests() : OrderServiceTest(clockSpeed: 300_000)
{
    private static readonly TimeSpan AutoConfirmAfter = OrderPolicy.Default.AutoConfirmAfter;

    [Fact]
    public async Task A_shipped_order_the_buyer_does_not_confirm_is_confirmed_by_the_system_when_the_period_runs_out()
    {
        var order = NewOrder();
        var countedBefore = Metrics.Sum(OrderMetrics.CompletedName, "confirmed_by=System");

        await Publish(order.Placed, order.Paid, order.Shipped);

        var due = await Probe.WaitFor<AutomaticReceiptConfirmationDue>(m => m.OrderId == order.OrderId, Patience, "the confirmation falls due");
        Assert.Equal(order.ShippedAt + AutoConfirmAfter, due.DueAt);
        var completed = await Completion(order.OrderId);
        Assert.Equal((order.ShippedAt + AutoConfirmAfter, ReceiptConfirmedBy.System), (completed.CompletedAt, completed.ConfirmedBy));
        Assert.Equal(2, completed.Lines.Count);
        var view = await ReadOrder(order.OrderId);
        Assert.Equal(new(order.ShippedAt + AutoConfirmAfter, ConfirmedBy.System), view.Completion);
        Assert.Equal(OrderMilestone.Completed, view.Timeline[^1].Milestone);
        await Eventually.Until(() => Metrics.Sum(OrderMetrics.CompletedName, "confirmed_by=System") == countedBefore + 1,
            Patience, "the completion is counted as confirmed by the system");
    }

    [Fact]
    public async Task The_buyer_confirming_first_cancels_the_automatic_confirmation_and_one_already_on_its_way_completes_nothing()
    {
        var order = NewOrder();
        await Publish(order.Placed, order.Shipped);
        // Shipped first, so the confirmation is scheduled; an order completed before it ships schedules none.
        await WaitShipped(order.OrderId);
        Assert.Equal([OrderEffects.AutomaticConfirmationId(order.OrderId)], await ScheduledConfirmationIds(order.OrderId));
        await Publish(order.Confirmed);
        Assert.Equal(ReceiptConfirmedBy.Buyer, (await Completion(order.OrderId)).ConfirmedBy);
        // Gone with the commit that completed the order, which is what published the completion.
        Assert.Equal(0, await ScheduledConfirmations(order.OrderId));

        // One a relay was already sending when the buyer confirmed (a cancellation leaves it alone) is decided on, and changes nothing.
        var onItsWay = Guid.NewGuid();
        await Probe.Publish(new AutomaticReceiptConfirmationDue { OrderId = order.OrderId, DueAt = order.ShippedAt + AutoConfirmAfter }, onItsWay);
        await WaitConsumed(onItsWay, AutomaticReceiptConfirmationConsumer.Name);
        // A later completion is published after anything that deadline could have caused.
        var witness = NewOrder();
        await Publish(witness.Placed, witness.Confirmed);
        await Completion(witness.OrderId);

        var completion = Assert.Single(CompletionsOf(order.OrderId));
        Assert.Equal(ReceiptConfirmedBy.Buyer, completion.ConfirmedBy);
        var view = await ReadOrder(order.OrderId, PlatformRoles.Buyer, order.BuyerId);
        Assert.Equal(new(order.ConfirmedAt, ConfirmedBy.Buyer), view.Completion);
        Assert.Single(view.Timeline, entry => entry.Milestone == OrderMilestone.Completed);
    }

    [Fact]
    public async Task A_confirmation_delivered_before_its_time_completes_nothing_and_is_scheduled_again_for_then()
    {
        var order = NewOrder();
        // Shipped some days ahead of the clock, so the early message surely comes before the due time.
        var shipped = order.Shipped with { ShippedAt = order.PlacedAt.AddDays(5) };
        var dueAt = shipped.ShippedAt + AutoConfirmAfter;
        await Publish(order.Placed, shipped);
        await WaitShipped(order.OrderId);
        // The one scheduled at shipping is taken away: only the early message, scheduled again, can complete the order.
        Assert.Equal(1L, await DropScheduledConfirmations(order.OrderId));

        // What a relay whose clock runs ahead would deliver: the confirmation, long before this service's clock reaches it.
        var early = Guid.NewGuid();
        await Probe.Publish(new AutomaticReceiptConfirmationDue { OrderId = order.OrderId, DueAt = dueAt }, early);
        await WaitConsumed(early, AutomaticReceiptConfirmationConsumer.Name);
        Assert.Equal(OrderStatus.Shipped, (await ReadOrder(order.OrderId)).Status);

        var completed = await Completion(order.OrderId);
        Assert.Equal((dueAt, ReceiptConfirmedBy.System), (completed.CompletedAt, completed.ConfirmedBy));
        Assert.True(Env.TimeProvider.GetUtcNow() >= dueAt, "completed no sooner than it was due");
        var witness = NewOrder();
        await Publish(witness.Placed, witness.Confirmed);
        await Completion(witness.OrderId);
        Assert.Single(CompletionsOf(order.OrderId));
    }

    private async Task WaitShipped(string orderId)
    {
        await WaitPlaced(orderId);
        await Eventually.Until(async () => (await ReadOrder(orderId)).Status == OrderStatus.Shipped, Patience, $"order {orderId} is shipped");
    }
}
