using Platform.Domain;

namespace Platform.EventSourcing.Pipeline;

/// <summary>
/// The session of one consumed message or one request, as the pipeline hands it to a handler:
/// load, decide, append and effects go through <see cref="Handle{TState,TEvent}"/>, so every
/// handler stores and announces a decision the same way.
/// </summary>
public sealed class UnitOfWork(Session session)
{
    private readonly List<Action> committed = [];

    /// <summary>For what a handler reads or writes besides streams (an index that finds the stream).</summary>
    public Session Session => session;

    /// <summary>Loads the stream, decides on its state, and appends what the decision holds, with its effects.</summary>
    public async Task<Handled<TState, TEvent>> Handle<TState, TEvent>(
        Aggregate<TState, TEvent> aggregate, string streamId, Func<TState, Decision<TEvent>> decide, CancellationToken ct)
        where TEvent : class
    {
        var stream = await aggregate.LoadFrom(session, streamId, ct);
        var decision = decide(stream.State);
        var after = await Append(aggregate, stream, decision.Events, ct);
        return new Handled<TState, TEvent>(stream, decision, after);
    }

    /// <summary>Appends to a stream already loaded, with the effects of the events; returns the state they leave.</summary>
    public async Task<TState> Append<TState, TEvent>(
        Aggregate<TState, TEvent> aggregate, LoadedStream<TState> stream, IReadOnlyList<TEvent> events, CancellationToken ct)
        where TEvent : class
    {
        if (events.Count == 0)
        {
            return stream.State;
        }
        session.Append(stream, events);
        var steps = new List<(TEvent, TState)>(events.Count);
        var state = stream.State;
        foreach (var @event in events)
        {
            state = aggregate.Evolve(state, @event);
            steps.Add((@event, state));
        }
        await aggregate.Effects(session, new Applied<TState, TEvent>(stream, steps), ct);
        committed.Add(() => aggregate.Committed(events));
        return state;
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the unit of work committed, never for one that rolled back: a
    /// count of what was refused, which appends nothing and so reaches no <see cref="Aggregate{TState,TEvent}.Committed"/>.
    /// </summary>
    public void AfterCommit(Action action) => committed.Add(action);

    /// <summary>Called by a pipeline once the unit of work committed.</summary>
    public void OnCommitted()
    {
        foreach (var count in committed)
        {
            count();
        }
    }
}
