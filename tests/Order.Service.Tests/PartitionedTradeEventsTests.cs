using System.Collections.Concurrent;
using System.Diagnostics;
using Order.Domain;
using Order.Service.Tests.Support;
using Platform.Testing;

namespace Order.Service.Tests;

/// <summary>
/// An order's trade events of different kinds, arriving together, are batched by kind; they must still not run at
/// once, or the batches race for the order's stream and the loser is rolled back and handled again.
/// </summary>
public sealed class PartitionedTradeEventsTests : OrderServiceTest
{
    [Fact]
    public async Task Every_event_of_orders_whose_events_come_all_at_once_commits_without_losing_a_race()
    {
        var database = (await Env.Database(OrderService.Name)).Name;
        var orders = Enumerable.Range(0, 40).Select(_ => NewOrder()).ToList();
        // A lost race is a statement PostgreSQL refuses (the append's version check, the new stream's key): Npgsql
        // marks its span failed. Spans are process-wide, so only those on this class's database count.
        var failed = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Status == ActivityStatusCode.Error && activity.GetTagItem("db.namespace") as string == database)
                {
                    failed.Enqueue($"{activity.StatusDescription}: {activity.GetTagItem("db.query.text")}");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await Task.WhenAll(orders.SelectMany(o => new object[] { o.Placed, o.Paid, o.Shipped, o.Delivered, o.Confirmed }).Select(e => Probe.Bus.Publish(e)));

        foreach (var order in orders)
        {
            await Completion(order.OrderId);
        }
        foreach (var order in orders)
        {
            Assert.Equal(1, await StoredEvents<OrderEvent.OrderCompleted>(order.OrderId));
        }
        Assert.Empty(failed);
    }
}
