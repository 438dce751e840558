using Order.Domain;
using Order.Service.Features.RecordTradeEvents;
using Order.Service.Tests.Support;
using Platform.Testing;

namespace Order.Service.Tests;

/// <summary>Trade events come in bursts and are taken in batches: one commit for many orders.</summary>
public sealed class BatchedTradeEventsTests : OrderServiceTest
{
    [Fact]
    public async Task A_burst_of_trade_events_commits_in_batches_and_two_of_one_order_in_a_batch_both_count()
    {
        var database = await Env.Database(OrderService.Name);
        var orders = Enumerable.Range(0, 40).Select(_ => NewOrder()).ToList();

        await Task.WhenAll(orders.Select(o => Probe.Bus.Publish(o.Placed)));

        var ids = orders.Select(o => OrderStream.StreamId(o.OrderId)).ToArray();
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from mt_streams where id = any($1)", (object)ids) == orders.Count,
            Patience, "every order is placed");
        // A batch commits once, at one instant: fewer instants than messages means messages shared a commit.
        var commits = await database.Scalar<long>("select count(distinct processed_at) from inbox where consumer = $1", TradeEventsConsumer.Name);
        Assert.InRange(commits, 1, orders.Count - 1);

        // The trade system pays twice for some orders, in the same burst: such a batch cannot commit
        // whole (two sessions on one stream), so its messages are handled one by one, each once.
        var twice = orders.Take(10).ToList();
        await Task.WhenAll(orders.Concat(twice).Select(o => Probe.Bus.Publish(o.Paid)));
        foreach (var order in orders)
        {
            await Eventually.Until(async () => await StoredEvents<OrderEvent.OrderPaid>(order.OrderId) == 1, Patience, $"order {order.OrderId} is paid");
        }
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from inbox where consumer = $1", TradeEventsConsumer.Name) == orders.Count * 2 + twice.Count,
            Patience, "every payment, the second ones too, is consumed");
        foreach (var order in twice)
        {
            Assert.Equal(1, await StoredEvents<OrderEvent.OrderPaid>(order.OrderId));
        }
    }
}
