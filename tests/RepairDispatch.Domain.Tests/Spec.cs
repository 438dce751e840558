using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.Domain;
using RepairDispatch.Domain;

namespace RepairDispatch.Domain.Tests;

/// <summary>Given events, when a command, then events, nothing, or a refusal.</summary>
internal sealed class Spec<TCommand, TEvent, TState>(
    Func<TCommand, TState, Decision<TEvent>> decide,
    Func<TState, TEvent, TState> evolve,
    TState initial)
{
    private TState state = initial;

    public Spec<TCommand, TEvent, TState> Given(params TEvent[] events)
    {
        state = events.Aggregate(state, evolve);
        return this;
    }

    public Outcome<TEvent> When(TCommand command) => new(decide(command, state));

    public TState State => state;
}

internal sealed class Outcome<TEvent>(Decision<TEvent> decision)
{
    public Decision<TEvent> Decision => decision;

    public void Then(params TEvent[] expected)
    {
        var accepted = Assert.IsType<Decision<TEvent>.Accepted>(decision);
        Assert.Equal(Show(expected), Show(accepted.Events));
    }

    public void ThenNothing() => Then();

    public Refusal ThenRefused(RepairDispatchRefusalCode code)
    {
        var refused = Assert.IsType<Decision<TEvent>.Refused>(decision);
        Assert.Equal(code.ToString(), refused.Refusal.Code);
        Assert.False(string.IsNullOrWhiteSpace(refused.Refusal.Reason));
        Assert.Empty(refused.Events);
        return refused.Refusal;
    }

    public Refusal ThenRefusedAndRecorded(RepairDispatchRefusalCode code, params TEvent[] recorded)
    {
        var refused = Assert.IsType<Decision<TEvent>.Refused>(decision);
        Assert.Equal(code.ToString(), refused.Refusal.Code);
        Assert.Equal(Show(recorded), Show(refused.Events));
        return refused.Refusal;
    }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    // Events compare by type and content, one per line, so collections inside events compare by value
    // and a failure shows exactly which event differs.
    private static string Show(IEnumerable<TEvent> events) =>
        string.Join('\n', events.Select(e => $"{e!.GetType().Name} {JsonSerializer.Serialize(e, e.GetType(), Json)}"));
}

internal static class Specs
{
    public static Spec<RepairJobCommand, RepairJobEvent, RepairJob> Job(RepairDispatchPolicy? policy = null) =>
        new((command, state) => RepairJobDecider.Decide(command, state, policy ?? RepairDispatchPolicy.Default), RepairJobDecider.Evolve, RepairJob.Initial);

    public static Spec<ProviderCommand, ProviderEvent, Provider> Provider(RepairDispatchPolicy? policy = null) =>
        new((command, state) => ProviderDecider.Decide(command, state, policy ?? RepairDispatchPolicy.Default), ProviderDecider.Evolve, Domain.Provider.Initial);
}
