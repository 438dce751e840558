using System.Collections.Immutable;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Warranty.Domain;

namespace Warranty.Service;

/// <summary>A warranty file as loaded: its folded state and the events it was folded from, which the claim views show.</summary>
public sealed record LoadedFile(WarrantyFile State, ImmutableList<WarrantyFileEvent> Events)
{
    public static readonly LoadedFile Initial = new(WarrantyFile.Initial, []);

    /// <summary>Null while the line's order has not completed: there is no warranty to show or act on.</summary>
    public WarrantyFile.Activated? Activated => State as WarrantyFile.Activated;

    public static LoadedFile Evolve(LoadedFile file, WarrantyFileEvent @event) =>
        new(WarrantyFile.Evolve(file.State, @event), file.Events.Add(@event));
}

/// <summary>One event stream per order line: the warranty file and every claim on it.</summary>
public sealed class WarrantyFileStream(WarrantyMetrics metrics)
{
    public const string StreamType = "warranty-file";

    /// <summary>
    /// A file gains events for as long as its buyer files claims, so its state is also kept as a Marten inline snapshot,
    /// which the file's query reads as one document instead of the whole history.
    /// </summary>
    public static readonly StreamSnapshot<WarrantyFile, WarrantyFileEvent> Snapshots = new(WarrantyFile.Initial, WarrantyFile.Evolve);

    public Aggregate<LoadedFile, WarrantyFileEvent> Aggregate { get; } = new()
    {
        StreamType = StreamType,
        Initial = LoadedFile.Initial,
        Evolve = LoadedFile.Evolve,
        Effects = WarrantyFileEffects.Apply,
        Committed = metrics.Count,
    };

    /// <summary>
    /// The file for filing a claim: its state from the snapshot, without the history, whose <see cref="LoadedFile.Events"/>
    /// are only those this unit of work appends. A new claim is decided on the state alone and its view is its own events.
    /// One query reads the snapshot and the version, and Marten's inline projection then evolves that very snapshot
    /// instead of reading it again at the commit: two statements fewer per claim than folding the history.
    /// </summary>
    public Aggregate<LoadedFile, WarrantyFileEvent> Filing { get; } = new()
    {
        StreamType = StreamType,
        Initial = LoadedFile.Initial,
        Evolve = LoadedFile.Evolve,
        Load = async (session, streamId, ct) =>
        {
            var stream = await session.Load(streamId, StreamType, Snapshots, ct);
            return new LoadedStream<LoadedFile>(streamId, StreamType, stream.Version, new LoadedFile(stream.State, []));
        },
        Effects = WarrantyFileEffects.Apply,
        Committed = metrics.Count,
    };

    /// <summary>
    /// Order and line ids are the trade system's free text, so they are escaped: "a-b" + "c" and "a" + "b-c"
    /// must not name the same stream.
    /// </summary>
    public static string StreamId(string orderId, string lineId) =>
        $"warranty-file/{Uri.EscapeDataString(orderId)}/{Uri.EscapeDataString(lineId)}";

    /// <summary>The file's state as it stands, from its snapshot, for the queries that need no events.</summary>
    public static async Task<WarrantyFile> ReadState(EventStore store, string orderId, string lineId, CancellationToken ct)
    {
        await using var session = await store.OpenSession(null, new MessageMetadata(null, null, null, null, null), ct);
        return (await session.Load(StreamId(orderId, lineId), StreamType, Snapshots, ct)).State;
    }

    /// <summary>Reads outside any unit of work, for queries.</summary>
    public static Task<LoadedFile> Read(EventStore store, string orderId, string lineId, CancellationToken ct) =>
        store.Fold<LoadedFile, WarrantyFileEvent>(StreamId(orderId, lineId), LoadedFile.Initial, LoadedFile.Evolve, ct);
}
