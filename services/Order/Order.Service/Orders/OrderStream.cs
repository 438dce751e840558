using Order.Domain;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;

namespace Order.Service;

/// <summary>One event stream per order, named after the trade system's order id.</summary>
public sealed class OrderStream(OrderEffects effects, OrderMetrics metrics)
{
    public const string StreamType = "order";

    public Aggregate<OrderState, OrderEvent> Aggregate { get; } = new()
    {
        StreamType = StreamType,
        Initial = OrderState.Initial,
        Evolve = OrderState.Evolve,
        Effects = effects.Apply,
        Committed = metrics.Count,
    };

    public static string StreamId(string orderId) => $"order-{orderId}";

    /// <summary>Reads outside any unit of work, for queries.</summary>
    public static Task<OrderState> Read(EventStore store, string orderId, CancellationToken ct) =>
        store.Fold<OrderState, OrderEvent>(StreamId(orderId), OrderState.Initial, OrderState.Evolve, ct);
}
