using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace Platform.EventSourcing;

/// <summary>A stream's folded state as Marten keeps it, one document per stream, updated inline with every append.</summary>
public sealed class Snapshot<TState>
{
    public string Id { get; set; } = "";
    public long Version { get; set; }
    public TState State { get; set; } = default!;
}

/// <summary>A stream kind whose state is kept as a snapshot; registered with the event store.</summary>
public interface IStreamSnapshot
{
    internal void Register(StoreOptions options, MessageTypeRegistry types);

    /// <summary>The Marten document the snapshot is kept in.</summary>
    internal Type Document { get; }
}

public interface IStreamSnapshot<TState> : IStreamSnapshot
{
    TState Initial { get; }

    /// <summary>The fold, for a stream whose snapshot is missing.</summary>
    TState Evolve(TState state, object @event);
}

/// <summary>
/// Keeps the state of every stream of <typeparamref name="TEvent"/>s as a Marten inline snapshot,
/// folded with the domain's own evolve function in the transaction that appends: for streams that
/// grow without bound, so a load reads one document instead of the whole history.
/// </summary>
/// <remarks>
/// A change to the state's shape or to the fold makes the kept snapshots wrong: rebuild them
/// (Marten's projection rebuild) as part of that release.
/// </remarks>
public sealed class StreamSnapshot<TState, TEvent>(TState initial, Func<TState, TEvent, TState> evolve) : IStreamSnapshot<TState>
{
    public TState Initial => initial;

    Type IStreamSnapshot.Document => typeof(Snapshot<TState>);

    public TState Evolve(TState state, object @event) => @event is TEvent data ? evolve(state, data) : state;

    void IStreamSnapshot.Register(StoreOptions options, MessageTypeRegistry types)
    {
        var projection = new Projection(initial, evolve);
        foreach (var (_, type) in types.All.Where(t => typeof(TEvent).IsAssignableFrom(t.Type)))
        {
            projection.IncludeType(type);
        }
        options.Projections.Add(projection, ProjectionLifecycle.Inline);
    }

    private sealed class Projection(TState initial, Func<TState, TEvent, TState> evolve) : SingleStreamProjection<Snapshot<TState>, string>
    {
        public override Snapshot<TState> Evolve(Snapshot<TState>? snapshot, string id, IEvent e)
        {
            snapshot ??= new Snapshot<TState> { Id = id, State = initial };
            if (e.Data is TEvent data)
            {
                snapshot.State = evolve(snapshot.State, data);
            }
            snapshot.Version = e.Version;
            return snapshot;
        }
    }
}
