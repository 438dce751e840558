using Platform.EventSourcing;
using Warranty.Domain;

namespace Warranty.Service;

/// <summary>A warranty file as loaded: its folded state, the version an append expects, and the stored events it was folded from.</summary>
public sealed record LoadedFile(LoadedStream<WarrantyFile> Stream, IReadOnlyList<StoredEvent> History)
{
    public WarrantyFile State => Stream.State;

    /// <summary>Null while the line's order has not completed: there is no warranty to show or act on.</summary>
    public WarrantyFile.Activated? Activated => Stream.State as WarrantyFile.Activated;

    public IEnumerable<WarrantyFileEvent> Events => History.Select(e => (WarrantyFileEvent)e.Data);
}

/// <summary>One event stream per order line: the warranty file and every claim on it.</summary>
public static class WarrantyFiles
{
    public const string StreamType = "warranty-file";

    /// <summary>
    /// Order and line ids are the trade system's free text, so they are escaped: "a-b" + "c" and "a" + "b-c"
    /// must not name the same stream.
    /// </summary>
    public static string StreamId(string orderId, string lineId) =>
        $"warranty-file/{Uri.EscapeDataString(orderId)}/{Uri.EscapeDataString(lineId)}";

    /// <summary>Loads inside a unit of work, at the version its append will expect.</summary>
    public static async Task<LoadedFile> Load(Session session, string orderId, string lineId, CancellationToken ct)
    {
        var id = StreamId(orderId, lineId);
        return Fold(id, await session.ReadStream(id, ct));
    }

    /// <summary>Reads outside any unit of work, for queries.</summary>
    public static async Task<LoadedFile> Read(EventStore store, string orderId, string lineId, CancellationToken ct)
    {
        var id = StreamId(orderId, lineId);
        return Fold(id, await store.ReadStream(id, ct));
    }

    private static LoadedFile Fold(string streamId, IReadOnlyList<StoredEvent> history)
    {
        var state = history.Aggregate(WarrantyFile.Initial, (file, stored) => WarrantyFile.Evolve(file, (WarrantyFileEvent)stored.Data));
        var version = history.Count == 0 ? 0 : history[^1].Version;
        return new LoadedFile(new LoadedStream<WarrantyFile>(streamId, StreamType, version, state), history);
    }
}
