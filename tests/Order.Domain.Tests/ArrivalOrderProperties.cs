using Platform.Domain;
using FsCheck;
using FsCheck.Fluent;
using static Order.Domain.Tests.Sample;

namespace Order.Domain.Tests;

public class ArrivalOrderProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    /// <summary>Every command at least once, some of them again, in any order; shrinks by dropping repeats.</summary>
    private static Arbitrary<OrderCommand[]> Arrivals(OrderCommand[] commands) =>
        Arb.From(
            Gen.Choose(0, commands.Length - 1).ListOf()
                .SelectMany(again => Gen.Shuffle(commands.Concat(again.Select(index => commands[index])).ToArray())),
            arrivals => Enumerable.Range(0, arrivals.Length)
                .Where(index => arrivals.Count(command => command == arrivals[index]) > 1)
                .Select(index => arrivals.Where((_, other) => other != index).ToArray()));

    [Fact]
    public void Any_arrival_order_with_duplicates_yields_the_same_state_and_exactly_one_completion()
    {
        var expected = Json.Of(History.Run(TradeEvents).State);

        Check.One(Runs, Prop.ForAll(Arrivals(TradeEvents), arrivals =>
        {
            var history = History.Run(arrivals);

            Assert.Equal(expected, Json.Of(history.State));
            Assert.Equal(1, history.Completions);
            Assert.All(history.Decisions, decision => Assert.IsType<Decision<OrderEvent>.Accepted>(decision));
        }));
    }

    [Fact]
    public void Any_arrival_order_of_buyer_and_automatic_confirmations_completes_the_order_exactly_once()
    {
        OrderCommand[] commands =
        [
            .. TradeEvents, AutoConfirmation(AutoConfirmAt.AddHours(-1)), AutoConfirmation(AutoConfirmAt),
            AutoConfirmation(AutoConfirmAt.AddDays(1)),
        ];
        var tradeOnly = History.Run(TradeEvents).State;

        Check.One(Runs, Prop.ForAll(Arrivals(commands), arrivals =>
        {
            var history = History.Run(arrivals);

            var completed = Assert.Single(history.Events.OfType<OrderEvent.OrderCompleted>());
            Assert.Equal(OrderStatus.Completed, history.State.Status);
            Assert.Equal(
                completed.ConfirmedBy == ConfirmedBy.Buyer ? ConfirmedAt : AutoConfirmAt,
                completed.CompletedAt);
            Assert.Equal(Json.Of(tradeOnly with { Completion = null, ReceiptConfirmedAt = null, Timeline = [] }),
                Json.Of(history.State with { Completion = null, ReceiptConfirmedAt = null, Timeline = [] }));
        }));
    }
}
