using Order.Domain;
using Order.Service.Tests.Support;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.Contracts.Orders.V1;

namespace Order.Service.Tests;

/// <summary>Events that contradict the stream are refused once, kept with their reason, and change nothing.</summary>
public sealed class ContradictionTests : OrderServiceTest
{
    [Fact]
    public async Task Contradicting_events_are_refused_with_their_reason_and_the_order_stands()
    {
        var order = NewOrder();
        await Publish(order.Placed, order.Paid);
        await WaitPlaced(order.OrderId);
        await Eventually.Until(async () => (await ReadOrder(order.OrderId)).Status == OrderStatus.Paid, Patience, "the order is paid");
        var before = await WaitPlaced(order.OrderId);
        var codes = new[]
        {
            OrderRefusalCode.ConflictingOrderPlaced, OrderRefusalCode.InvalidAmount,
            OrderRefusalCode.InvalidExtendedWarrantyPlan, OrderRefusalCode.ConflictingTradeEvent,
        };
        var countedBefore = codes.ToDictionary(code => code, code => Metrics.Sum(OrderMetrics.RefusedName, $"code={code}"));

        await Publish(
            order.Placed with { ShippingRegion = "110000" },
            order.Placed with { Lines = [TradeOrder.Phone, TradeOrder.Cover with { UnitPrice = -25m }] },
            order.Placed with { Lines = [TradeOrder.Phone with { ExtendedWarranty = TradeOrder.Phone.ExtendedWarranty! with { PlanYears = 4 } }, TradeOrder.Cover] },
            order.Paid with { PaidAt = order.PaidAt.AddHours(1) });

        var refusals = await WaitRefused(order.OrderId, codes);
        Assert.Equal(4, refusals.Count);
        Assert.Contains(refusals, r => r.Code == nameof(OrderRefusalCode.InvalidAmount) && r.Reason.Contains("-25", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Code == nameof(OrderRefusalCode.InvalidExtendedWarrantyPlan) && r.Reason.Contains("4 years", StringComparison.Ordinal));
        Assert.All(refusals, r => Assert.StartsWith("Platform.Contracts.Trade.V1.", r.MessageType, StringComparison.Ordinal));
        Assert.Equal(before, await WaitPlaced(order.OrderId));
        await Eventually.Until(() => codes.All(code => Metrics.Sum(OrderMetrics.RefusedName, $"code={code}") == countedBefore[code] + 1),
            Patience, "each refusal is counted under its code");

        await Publish(order.Confirmed);
        var completed = await Completion(order.OrderId);
        Assert.Equal(TradeOrder.Region, completed.ShippingRegion);
        Assert.Equal([2999m, 25m], completed.Lines.Select(line => line.UnitPrice));
    }

    [Fact]
    public async Task An_order_refused_outright_leaves_nothing_behind()
    {
        var order = NewOrder();

        await Publish(order.Placed with { Lines = [TradeOrder.Phone with { UnitPrice = -1m }] });

        var refusal = Assert.Single(await WaitRefused(order.OrderId, OrderRefusalCode.InvalidAmount));
        Assert.Contains("below zero", refusal.Reason, StringComparison.Ordinal);
        using (var absent = await GetOrder(order.OrderId, PlatformRoles.Operator, "operator-1"))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, absent.StatusCode);
        }
        // The valid order that follows is placed as if the refused one had never come.
        await Publish(order.Placed, order.Confirmed);
        Assert.Equal(ReceiptConfirmedBy.Buyer, (await Completion(order.OrderId)).ConfirmedBy);
    }

    [Fact]
    public async Task An_early_refund_of_a_line_the_order_does_not_have_is_refused_when_the_order_arrives_and_the_order_stands()
    {
        var order = NewOrder();
        await Publish(order.Refund("L9", 10m, order.PaidAt));
        await Eventually.Until(async () => await StoredEvents<OrderEvent.TradeEventParked>(order.OrderId) == 1, Patience, "the refund waits for its order");

        await Publish(order.Placed, order.Confirmed);

        var refusal = Assert.Single(await WaitRefused(order.OrderId, OrderRefusalCode.UnknownLine));
        Assert.Contains("L9", refusal.Reason, StringComparison.Ordinal);
        var completed = await Completion(order.OrderId);
        Assert.All(completed.Lines, line => Assert.False(line.Refunded));
    }
}
