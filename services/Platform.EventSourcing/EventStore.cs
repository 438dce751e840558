using Npgsql;

namespace Platform.EventSourcing;

/// <summary>Opens units of work on one service's database.</summary>
public sealed class EventStore(NpgsqlDataSource dataSource, MessageTypeRegistry types, TimeProvider clock)
{
    public NpgsqlDataSource DataSource => dataSource;
    public MessageTypeRegistry Types => types;
    public TimeProvider Clock => clock;

    /// <summary>
    /// One unit of work in one transaction. With an <paramref name="incoming"/> message, its id goes
    /// into the inbox in the same transaction, so a redelivery of it has no effect.
    /// </summary>
    public async Task<Session> OpenSession(IncomingMessage? incoming, MessageMetadata metadata, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        return new Session(connection, types, clock, incoming, metadata);
    }

    /// <summary>Units of work for many consumed messages, committed together; see <see cref="SessionBatch"/>.</summary>
    public async Task<SessionBatch> OpenBatch(CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        return new SessionBatch(connection, types, clock);
    }

    /// <summary>Reads a whole stream outside any unit of work, for queries.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await StreamReader.Read(connection, null, types, streamId, ct);
    }
}

internal static class StreamReader
{
    public static async Task<IReadOnlyList<StoredEvent>> Read(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, MessageTypeRegistry types, string streamId, CancellationToken ct) =>
        (await ReadMany(connection, transaction, types, [streamId], ct)).GetValueOrDefault(streamId) ?? [];

    /// <summary>The events of these streams in version order, by stream; a stream with none is absent.</summary>
    public static async Task<Dictionary<string, IReadOnlyList<StoredEvent>>> ReadMany(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, MessageTypeRegistry types, string[] streamIds, CancellationToken ct)
    {
        await using var command = streamIds.Length == 1
            ? new NpgsqlCommand(
                "select seq, version, type, data, metadata, recorded_at, stream_id from events where stream_id = $1 order by version",
                connection, transaction) { Parameters = { new() { Value = streamIds[0] } } }
            : new NpgsqlCommand(
                "select seq, version, type, data, metadata, recorded_at, stream_id from events where stream_id = any($1) order by stream_id, version",
                connection, transaction) { Parameters = { new() { Value = streamIds } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var streams = new Dictionary<string, IReadOnlyList<StoredEvent>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var streamId = reader.GetString(6);
            var typeName = reader.GetString(2);
            var data = System.Text.Json.JsonSerializer.Deserialize(reader.GetString(3), types.TypeOf(typeName), Json.Options)
                ?? throw new InvalidOperationException($"Event {streamId}@{reader.GetInt64(1)} has null data.");
            var metadata = System.Text.Json.JsonSerializer.Deserialize<MessageMetadata>(reader.GetString(4), Json.Options)!;
            if (!streams.TryGetValue(streamId, out var events))
            {
                streams[streamId] = events = new List<StoredEvent>();
            }
            ((List<StoredEvent>)events).Add(new StoredEvent(reader.GetInt64(0), streamId, reader.GetInt64(1), typeName, data, metadata, reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return streams;
    }
}
