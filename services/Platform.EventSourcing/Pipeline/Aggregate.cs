using Platform.Domain;

namespace Platform.EventSourcing.Pipeline;

/// <summary>
/// What a service tells the pipeline about one kind of stream: how to fold it, and what its events
/// cause besides being stored (messages, and the tables that must commit with them). The pipeline
/// does the rest, the same way for every consumer and every request.
/// </summary>
public sealed class Aggregate<TState, TEvent>
    where TEvent : class
{
    public required string StreamType { get; init; }
    public required TState Initial { get; init; }
    public required Func<TState, TEvent, TState> Evolve { get; init; }

    /// <summary>
    /// Loads a stream some other way than folding it from the start (through a snapshot); by default
    /// the session folds every event.
    /// </summary>
    public Func<Session, string, CancellationToken, Task<LoadedStream<TState>>>? Load { get; init; }

    /// <summary>
    /// Maps appended events to messages (publish, send, schedule, cancel) and writes what must commit
    /// with them; called once per unit of work with every step, so an effect can see the state each
    /// event left.
    /// </summary>
    public Func<Session, Applied<TState, TEvent>, CancellationToken, Task> Effects { get; init; } = (_, _, _) => Task.CompletedTask;

    /// <summary>Counts what was committed (business metrics); never called for work that rolled back.</summary>
    public Action<IReadOnlyList<TEvent>> Committed { get; init; } = _ => { };

    public Task<LoadedStream<TState>> LoadFrom(Session session, string streamId, CancellationToken ct) =>
        Load is { } load
            ? load(session, streamId, ct)
            : session.Load(streamId, StreamType, Initial, (state, e) => Evolve(state, (TEvent)e), ct);
}

/// <summary>Events appended to a loaded stream, each with the state it left.</summary>
public sealed record Applied<TState, TEvent>(LoadedStream<TState> Stream, IReadOnlyList<(TEvent Event, TState After)> Steps)
{
    public TState After => Steps.Count == 0 ? Stream.State : Steps[^1].After;
}

/// <summary>A decision taken on a loaded stream, and the state once its events (accepted or recorded with a refusal) apply.</summary>
public sealed record Handled<TState, TEvent>(LoadedStream<TState> Stream, Decision<TEvent> Decision, TState After)
{
    public Refusal? Refusal => Decision.RefusalOrNull;
}
