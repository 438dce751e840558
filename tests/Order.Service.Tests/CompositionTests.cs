using Microsoft.Extensions.Configuration;
using Order.Domain;
using Order.Service.Features.RecordTradeEvents;
using Platform.EventSourcing;
using Trade = Platform.Contracts.Trade.V1;

namespace Order.Service.Tests;

/// <summary>What the service is made of, checked without servers.</summary>
public sealed class CompositionTests
{
    [Fact]
    public void Every_event_of_the_order_stream_has_a_stored_name()
    {
        var types = EventTypes.Register(new MessageTypeRegistry());

        var unnamed = typeof(OrderEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false } && t.IsSubclassOf(typeof(OrderEvent)) && types.TryNameOf(t) is null)
            .Select(t => t.FullName);

        Assert.Empty(unnamed);
    }

    [Fact]
    public void The_automatic_confirmation_period_is_ten_days_unless_configured()
    {
        Assert.Equal(TimeSpan.FromDays(10), OrderService.ReadPolicy(Configuration()).AutoConfirmAfter);
        Assert.Equal(TimeSpan.FromDays(7), OrderService.ReadPolicy(Configuration(("Order:AutoConfirmAfter", "7.00:00:00"))).AutoConfirmAfter);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    [InlineData("ten days")]
    public void A_period_that_is_not_a_positive_duration_stops_the_service_naming_the_setting(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => OrderService.Create(["--Order:AutoConfirmAfter=" + value]));

        Assert.Contains("Order:AutoConfirmAfter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refund_id_is_made_of_what_the_refund_says()
    {
        var refund = new Trade.OrderLineRefunded { OrderId = "TB-1", LineId = "L1", RefundAmount = 300m, RefundedAt = new(2024, 3, 7, 10, 0, 0, TimeSpan.Zero) };
        var id = TradeEventsConsumer.RefundId(refund);

        Assert.Equal(id, TradeEventsConsumer.RefundId(refund with { RefundAmount = 300.00m }));
        Assert.Equal(id, TradeEventsConsumer.RefundId(refund with { RefundedAt = new(2024, 3, 7, 18, 0, 0, TimeSpan.FromHours(8)) }));
        Assert.Equal(id, TradeEventsConsumer.RefundId(refund with { OrderId = "TB-2" }));
        Assert.NotEqual(id, TradeEventsConsumer.RefundId(refund with { LineId = "L2" }));
        Assert.NotEqual(id, TradeEventsConsumer.RefundId(refund with { RefundAmount = 300.01m }));
        Assert.NotEqual(id, TradeEventsConsumer.RefundId(refund with { RefundedAt = refund.RefundedAt.AddTicks(1) }));
    }

    [Fact]
    public void A_refund_id_from_the_trade_system_is_used_as_it_is()
    {
        var refund = new Trade.OrderLineRefunded
        {
            OrderId = "TB-1", LineId = "L1", RefundAmount = 300m, RefundedAt = new(2024, 3, 7, 10, 0, 0, TimeSpan.Zero), RefundId = "RF-42",
        };

        Assert.Equal("RF-42", TradeEventsConsumer.RefundId(refund));
        Assert.NotEqual(TradeEventsConsumer.RefundId(refund), TradeEventsConsumer.RefundId(refund with { RefundId = "RF-43" }));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
