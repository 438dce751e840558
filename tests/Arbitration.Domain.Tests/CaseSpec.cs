using Platform.Domain;
using System.Text.Json;

namespace Arbitration.Domain.Tests;

/// <summary>Given events, when a command, then events, nothing, or a refusal.</summary>
internal sealed class CaseSpec
{
    private readonly CaseState state;
    private readonly ArbitrationPolicy policy;

    private CaseSpec(CaseState state, ArbitrationPolicy policy)
    {
        this.state = state;
        this.policy = policy;
    }

    public static CaseSpec Given(params CaseEvent[] events) => Given(ArbitrationPolicy.Default, events);

    public static CaseSpec Given(ArbitrationPolicy policy, params CaseEvent[] events) =>
        new(events.Aggregate(CaseState.Initial, CaseState.Evolve), policy);

    public Outcome When(CaseCommand command) => new(CaseDecider.Decide(command, state, policy), state);

    internal sealed record Outcome(Decision<CaseEvent> Decision, CaseState Before)
    {
        public CaseState Then(params CaseEvent[] expected)
        {
            var accepted = Assert.IsType<Decision<CaseEvent>.Accepted>(Decision);
            Assert.Equal(expected.Select(Json.Of), accepted.Events.Select(Json.Of));
            return accepted.Events.Aggregate(Before, CaseState.Evolve);
        }

        public void ThenNothing() => Then();

        /// <summary>Refused with nothing recorded: a case refuses without keeping a trace in its stream.</summary>
        public Refusal ThenRefused(CaseRefusalCode code)
        {
            var refused = Assert.IsType<Decision<CaseEvent>.Refused>(Decision);
            Assert.Equal(code.ToString(), refused.Refusal.Code);
            Assert.False(string.IsNullOrWhiteSpace(refused.Refusal.Reason));
            Assert.Empty(refused.Events);
            return refused.Refusal;
        }
    }
}

internal static class Json
{
    /// <summary>Through the base type, as an event store would: it compares by content and proves the event round-trips.</summary>
    public static string Of(CaseEvent @event) => JsonSerializer.Serialize(@event);
}
