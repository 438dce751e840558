using Order.Domain;
using Platform.EventSourcing;

namespace Order.Service;

/// <summary>One event stream per order, named after the trade system's order id.</summary>
internal static class OrderStream
{
    public const string Type = "order";

    public static string Id(string orderId) => $"order-{orderId}";

    /// <summary>Loads inside a unit of work, at the version the append will expect.</summary>
    public static Task<LoadedStream<OrderState>> Load(Session session, string orderId, CancellationToken ct) =>
        session.Load(Id(orderId), Type, OrderState.Initial, Evolve, ct);

    /// <summary>Reads outside any unit of work, for queries.</summary>
    public static async Task<OrderState> Read(EventStore store, string orderId, CancellationToken ct) =>
        (await store.ReadStream(Id(orderId), ct)).Aggregate(OrderState.Initial, (state, stored) => Evolve(state, stored.Data));

    private static OrderState Evolve(OrderState state, object @event) => OrderState.Evolve(state, (OrderEvent)@event);
}
