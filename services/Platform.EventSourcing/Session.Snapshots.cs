using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Npgsql;

namespace Platform.EventSourcing;

/// <summary>
/// How a stream's folded state is kept as a snapshot, for streams that grow without bound.
/// </summary>
/// <remarks>
/// The schema key names the state's shape and the fold that made it: change it whenever the state
/// type, its JSON or its evolve function changes, and snapshots taken before are ignored rather than
/// read into the wrong shape.
/// </remarks>
public sealed class SnapshotPolicy<TState>
{
    public const int DefaultEvery = 100;

    /// <param name="schemaKey">The state's shape; see the remarks.</param>
    /// <param name="every">A load that folded at least this many events past the snapshot takes a new one.</param>
    /// <param name="typeInfo">How to (de)serialise the state; by default <see cref="Json.Options"/>'s.</param>
    public SnapshotPolicy(string schemaKey, int every = DefaultEvery, JsonTypeInfo<TState>? typeInfo = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schemaKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        SchemaKey = schemaKey;
        Every = every;
        TypeInfo = typeInfo ?? (JsonTypeInfo<TState>)Json.Options.GetTypeInfo(typeof(TState));
    }

    public string SchemaKey { get; }
    public int Every { get; }
    public JsonTypeInfo<TState> TypeInfo { get; }
}

public sealed partial class Session
{
    // Two-key advisory locks are a key space apart from the one-key locks that migrations and
    // services take, so this class cannot collide with them.
    private const int SnapshotLockClass = 0x534E_4150;

    /// <summary>
    /// Loads as the plain <c>Load</c> does, but starts from the stream's snapshot when there is one
    /// under the policy's schema key: the snapshot and the events after it come in one query. When
    /// that folded at least <see cref="SnapshotPolicy{TState}.Every"/> events, the state is kept as
    /// the stream's new snapshot. It was folded from committed events only, so it stays true
    /// whatever this unit of work does next.
    /// </summary>
    public async Task<LoadedStream<TState>> Load<TState>(
        string streamId, string streamType, TState initial, Func<TState, object, TState> evolve, SnapshotPolicy<TState> snapshots, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        // One statement, so the events read start right after the very snapshot read, even while
        // another load replaces it.
        await using var command = new NpgsqlCommand("""
            with snapshot as (select version, data from snapshots where stream_id = $1 and schema_key = $2)
            select version, null::text, data from snapshot
            union all
            select version, type, data from events
            where stream_id = $1 and version > coalesce((select version from snapshot), 0)
            order by 1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = snapshots.SchemaKey });

        var state = initial;
        var version = 0L;
        var folded = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                version = reader.GetInt64(0);
                if (reader.IsDBNull(1))
                {
                    state = JsonSerializer.Deserialize(reader.GetString(2), snapshots.TypeInfo)!;
                    continue;
                }
                var data = JsonSerializer.Deserialize(reader.GetString(2), types.TypeOf(reader.GetString(1)), Json.Options)
                    ?? throw new InvalidOperationException($"Event {streamId}@{version} has null data.");
                state = evolve(state, data);
                folded++;
            }
        }

        if (folded >= snapshots.Every)
        {
            await TakeSnapshot(streamId, version, state, snapshots, ct);
        }
        return new LoadedStream<TState>(streamId, streamType, version, state);
    }

    /// <summary>
    /// Keeps the state unless a snapshot as recent is there. A writer that finds another writing the
    /// same stream's snapshot leaves it to that one: in an explicit transaction the row stays locked
    /// until the unit of work ends, and a load must never wait for another unit of work.
    /// </summary>
    private async Task TakeSnapshot<TState>(string streamId, long version, TState state, SnapshotPolicy<TState> snapshots, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            insert into snapshots (stream_id, version, schema_key, data, taken_at)
            select $1, $2, $3, $4::jsonb, $5 where pg_try_advisory_xact_lock({SnapshotLockClass}, hashtext($1))
            on conflict (stream_id) do update
                set version = excluded.version, schema_key = excluded.schema_key, data = excluded.data, taken_at = excluded.taken_at
                where snapshots.version < excluded.version
            """, connection, transaction);
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = snapshots.SchemaKey });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(state, snapshots.TypeInfo) });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(ct);
    }
}
