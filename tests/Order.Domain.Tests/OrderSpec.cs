using Platform.Domain;
using System.Text.Json;

namespace Order.Domain.Tests;

/// <summary>Given events, when a command, then events, nothing, or a refusal.</summary>
internal sealed class OrderSpec
{
    private readonly OrderState state;
    private readonly OrderPolicy policy;

    private OrderSpec(OrderState state, OrderPolicy policy)
    {
        this.state = state;
        this.policy = policy;
    }

    public static OrderSpec Given(params OrderEvent[] events) => Given(OrderPolicy.Default, events);

    public static OrderSpec Given(OrderPolicy policy, params OrderEvent[] events) =>
        new(events.Aggregate(OrderState.Initial, OrderState.Evolve), policy);

    /// <summary>The history that these trade events, decided one after the other, would have written.</summary>
    public static OrderSpec GivenArrived(params OrderCommand[] commands) =>
        new(History.Run(commands).State, OrderPolicy.Default);

    public Outcome When(OrderCommand command) => new(OrderDecider.Decide(command, state, policy), state);

    internal sealed record Outcome(Decision<OrderEvent> Decision, OrderState Before)
    {
        public OrderState Then(params OrderEvent[] expected)
        {
            var accepted = Assert.IsType<Decision<OrderEvent>.Accepted>(Decision);
            Assert.Equal(expected.Select(Json.Of), accepted.Events.Select(Json.Of));
            return accepted.Events.Aggregate(Before, OrderState.Evolve);
        }

        public void ThenNothing() => Then();

        /// <summary>Refused with nothing recorded: an order refuses without keeping a trace in its stream.</summary>
        public Refusal ThenRefused(OrderRefusalCode code)
        {
            var refused = Assert.IsType<Decision<OrderEvent>.Refused>(Decision);
            Assert.Equal(code.ToString(), refused.Refusal.Code);
            Assert.False(string.IsNullOrWhiteSpace(refused.Refusal.Reason));
            Assert.Empty(refused.Events);
            return refused.Refusal;
        }
    }
}

internal sealed record History(OrderState State, IReadOnlyList<OrderEvent> Events, IReadOnlyList<Decision<OrderEvent>> Decisions)
{
    public static History Run(IEnumerable<OrderCommand> commands) => Run(commands, OrderPolicy.Default);

    public static History Run(IEnumerable<OrderCommand> commands, OrderPolicy policy)
    {
        var state = OrderState.Initial;
        var events = new List<OrderEvent>();
        var decisions = new List<Decision<OrderEvent>>();
        foreach (var command in commands)
        {
            var decision = OrderDecider.Decide(command, state, policy);
            decisions.Add(decision);
            if (decision is Decision<OrderEvent>.Accepted accepted)
            {
                events.AddRange(accepted.Events);
                state = accepted.Events.Aggregate(state, OrderState.Evolve);
            }
        }
        return new History(state, events, decisions);
    }

    public int Completions => Events.OfType<OrderEvent.OrderCompleted>().Count();
}

internal static class Json
{
    /// <summary>Through the base type, as an event store would: it compares by content and proves the event round-trips.</summary>
    public static string Of(OrderEvent @event) => JsonSerializer.Serialize(@event);

    /// <summary>Everything a reader of the order sees, in a form two states can be compared by.</summary>
    public static string Of(OrderState state) => JsonSerializer.Serialize(new
    {
        state.Status,
        state.Placement,
        state.PaidAt,
        state.ShippedAt,
        state.AutoConfirmAt,
        state.DeliveredAt,
        state.ReceiptConfirmedAt,
        state.Completion,
        Refunds = state.Refunds.OrderBy(refund => refund.RefundId, StringComparer.Ordinal),
        state.Parked,
        state.Timeline,
    });
}
