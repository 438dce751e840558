using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Platform.EventSourcing;

namespace Platform.Benchmarks;

/// <summary>The state the load measurements fold: bounded, as a snapshot's should be.</summary>
public sealed record GrowthState(long Count, long Sum, string? Last)
{
    public static GrowthState Empty { get; } = new(0, 0, null);

    public static GrowthState Evolve(GrowthState state, object @event) =>
        @event is BenchEvent e ? new(state.Count + 1, state.Sum + e.Number, e.Payload) : state;
}

/// <summary>
/// Append and load cost as the store grows (issue 9, on Marten since issue 13). Each size is filled
/// with binary COPY into Marten's tables and into a raw table of the same shape, so appends are
/// measured against raw INSERTs into a table of the same size. Streams of 10 to 10,000 events are
/// appended through a store that keeps their inline snapshot, in slices between the COPY's segments,
/// so their events are spread through the fill as a provider's are through real traffic; they are
/// loaded by a full fold and from the snapshot.
/// </summary>
internal static class GrowthBenchmark
{
    private const int FillerStreamLength = 5;

    // Slices of the fill between which the long streams get their next events.
    private const int Segments = 1_000;
    private static readonly int[] StreamLengths = [10, 100, 1_000, 10_000];
    private static readonly StreamSnapshot<GrowthState, BenchEvent> Snapshot = new(GrowthState.Empty, (state, e) => GrowthState.Evolve(state, e));
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);
    private static readonly string Payload = string.Concat(Enumerable.Repeat("warranty-claim-evidence-", 11));

    public static async Task Run(bool quick)
    {
        long[] sizes = quick ? [10_000, 1_000_000] : [10_000, 1_000_000, 10_000_000];
        const int writers = 4;
        var perWriter = quick ? 250 : 500;
        var rounds = quick ? 3 : 5;
        var loads = quick ? 7 : 15;

        await using var database = await BenchDatabase.Create();
        await Execute(database, RawTables.Events);
        // Two stores on the same tables: appends and full folds through one that keeps no snapshot,
        // as most of the services' streams are; the long streams through one that keeps theirs inline.
        using var store = database.Store();
        using var snapshotted = new EventStore(database.DataSource, BenchDatabase.Types(), TimeProvider.System, [Snapshot]);
        await snapshotted.ApplySchema(CancellationToken.None);
        await Appends(database, store, writers, 25, rounds: 1);

        var stages = new List<Stage>();
        foreach (var size in sizes)
        {
            var inStore = await Scalar<long>(database, "select count(*) from mt_events where type <> 'tombstone'");
            var lengths = StreamLengths.Where(n => n * 2 <= size - inStore).ToArray();
            var fill = Stopwatch.StartNew();
            var streams = await Fill(database, snapshotted, size - inStore, lengths);
            Console.Error.WriteLine($"filled to {size:N0} events in {fill.Elapsed.TotalSeconds:N0} s; vacuuming");
            await Execute(database, "vacuum (analyze) mt_events, raw_events, mt_streams");
            await Execute(database, "checkpoint");
            var filled = fill.Elapsed;

            var loadBefore = LoadAverage();
            var (raw, appended) = await Appends(database, store, writers, perWriter, rounds);
            var streamLoads = new List<StreamLoad>();
            foreach (var (id, length) in streams)
            {
                streamLoads.Add(await Loads(database, store, snapshotted, id, length, loads));
            }
            stages.Add(new Stage(size, filled, await Scalar<long>(database, "select pg_database_size(current_database())"),
                $"{loadBefore} / {LoadAverage()}", raw, appended, streamLoads));
            Console.Error.WriteLine($"measured at {size:N0}");
        }
        Print(stages, writers, perWriter, rounds, loads);
    }

    /// <summary>
    /// Adds <paramref name="count"/> events: filler streams of five by COPY into Marten's tables (the
    /// same rows into raw_events), and one stream of each length through the snapshotted store, its
    /// events appended between the COPY's segments so they lie spread through the others.
    /// </summary>
    private static async Task<IReadOnlyList<(string Id, int Length)>> Fill(BenchDatabase database, EventStore snapshotted, long count, int[] lengths)
    {
        var longStreams = lengths.Select(n => (Id: $"bench-long-{n}-{Guid.NewGuid():N}", Length: n)).ToList();
        var filler = count - lengths.Sum();
        var segment = Math.Max(1, filler / Segments);
        var now = DateTime.UtcNow;
        var traceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid():N}"[..52] + "-01";
        var headers = $$"""{"unit-of-work":"{{Guid.NewGuid()}}","message-id":"{{Guid.NewGuid()}}","traceparent":"{{traceParent}}"}""";
        var (correlation, causation) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var dotnetType = $"{typeof(BenchEvent).FullName}, {typeof(BenchEvent).Assembly.GetName().Name}";
        var written = longStreams.ToDictionary(s => s.Id, _ => 0);

        // Ids in no order, as real ones arrive, but the same for an event in both passes: a multiplication
        // by an odd constant maps stream numbers one to one onto scattered values.
        var fillId = Guid.NewGuid().ToString("N")[..8];
        string StreamOf(long i) => $"bench-{(ulong)(i / FillerStreamLength) * 0x9E3779B97F4A7C15UL:x16}-{fillId}";
        for (var from = 0L; from < filler; from += segment)
        {
            var upTo = Math.Min(filler, from + segment);
            // mt_events refers to mt_streams: a segment's new streams are committed before its events.
            await using (var streamsConnection = await database.DataSource.OpenConnectionAsync())
            await using (var streams = await streamsConnection.BeginBinaryImportAsync("copy mt_streams (id, type, version, timestamp, created, tenant_id) from stdin (format binary)"))
            {
                for (var i = from; i < upTo; i++)
                {
                    if (i % FillerStreamLength == 0)
                    {
                        streams.StartRow();
                        streams.Write(StreamOf(i), NpgsqlDbType.Varchar);
                        streams.Write("bench", NpgsqlDbType.Varchar);
                        streams.Write(Math.Min(FillerStreamLength, filler - i), NpgsqlDbType.Bigint);
                        streams.Write(now, NpgsqlDbType.TimestampTz);
                        streams.Write(now, NpgsqlDbType.TimestampTz);
                        streams.Write("*DEFAULT*", NpgsqlDbType.Varchar);
                    }
                }
                await streams.CompleteAsync();
            }
            // Marten's function takes seq_id from its sequence; COPY cannot call it, so the segment reserves its numbers first.
            var firstSeq = await Scalar<long>(database, $"select setval('mt_events_sequence', nextval('mt_events_sequence') + {upTo - from - 1}) - {upTo - from - 1}");
            await using (var eventsConnection = await database.DataSource.OpenConnectionAsync())
            await using (var rawConnection = await database.DataSource.OpenConnectionAsync())
            {
                const string columns = "(seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, is_archived) from stdin (format binary)";
                await using var events = await eventsConnection.BeginBinaryImportAsync($"copy mt_events {columns}");
                await using var raw = await rawConnection.BeginBinaryImportAsync($"copy raw_events (id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, is_archived) from stdin (format binary)");
                for (var i = from; i < upTo; i++)
                {
                    var version = (int)(i % FillerStreamLength) + 1;
                    var data = $$"""{"writer":0,"number":{{version}},"payload":"{{Payload}}"}""";
                    events.StartRow();
                    events.Write(firstSeq + (i - from), NpgsqlDbType.Bigint);
                    Row(events, StreamOf(i), version, data);
                    raw.StartRow();
                    Row(raw, StreamOf(i), version, data);
                }
                await Task.WhenAll(events.CompleteAsync().AsTask(), raw.CompleteAsync().AsTask());
            }

            // Each long stream's share of events due by the end of this segment, in one unit of work.
            foreach (var (id, length) in longStreams)
            {
                var due = (int)Math.Min(length, (long)Math.Ceiling((double)length * upTo / filler));
                if (due > written[id])
                {
                    await using var session = await snapshotted.OpenSession(null, NoMetadata, CancellationToken.None);
                    session.Append(id, "bench", written[id], Enumerable.Range(written[id] + 1, due - written[id]).Select(n => new BenchEvent(0, n, Payload)));
                    await session.Commit(CancellationToken.None);
                    written[id] = due;
                }
            }
        }
        return longStreams;

        void Row(NpgsqlBinaryImporter importer, string stream, int version, string data)
        {
            importer.Write(Guid.NewGuid(), NpgsqlDbType.Uuid);
            importer.Write(stream, NpgsqlDbType.Varchar);
            importer.Write((long)version, NpgsqlDbType.Bigint);
            importer.Write(data, NpgsqlDbType.Jsonb);
            importer.Write("bench-event", NpgsqlDbType.Varchar);
            importer.Write(now, NpgsqlDbType.TimestampTz);
            importer.Write("*DEFAULT*", NpgsqlDbType.Varchar);
            importer.Write(dotnetType, NpgsqlDbType.Varchar);
            importer.Write(correlation, NpgsqlDbType.Varchar);
            importer.Write(causation, NpgsqlDbType.Varchar);
            importer.Write(headers, NpgsqlDbType.Jsonb);
            importer.Write(false, NpgsqlDbType.Boolean);
        }
    }

    /// <summary>
    /// One event per transaction into fresh streams of five, store and raw taking turns round after
    /// round; each is reported by its median round.
    /// </summary>
    private static async Task<(double Raw, double Store)> Appends(BenchDatabase database, EventStore store, int writers, int perWriter, int rounds)
    {
        // What the store's Session writes as headers when it has no message to answer: its unit of work.
        var headers = $$"""{"unit-of-work":"{{Guid.NewGuid()}}"}""";
        var raw = new List<double>();
        var appended = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            raw.Add(writers * perWriter / (await Writers(writers, perWriter, async (streamId, version) =>
            {
                await using var connection = await database.DataSource.OpenConnectionAsync();
                await using var command = new NpgsqlCommand(
                    "insert into raw_events (id, stream_id, version, data, type, timestamp, mt_dotnet_type, headers) values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb)", connection);
                command.Parameters.Add(new() { Value = Guid.NewGuid() });
                command.Parameters.Add(new() { Value = streamId });
                command.Parameters.Add(new() { Value = (long)version + 1 });
                command.Parameters.Add(new() { Value = System.Text.Json.JsonSerializer.Serialize(new BenchEvent(0, version + 1, Payload), Json.Options) });
                command.Parameters.Add(new() { Value = "bench-event" });
                command.Parameters.Add(new() { Value = DateTimeOffset.UtcNow });
                command.Parameters.Add(new() { Value = typeof(BenchEvent).FullName });
                command.Parameters.Add(new() { Value = headers });
                await command.ExecuteNonQueryAsync();
            })).TotalSeconds);
            appended.Add(writers * perWriter / (await Writers(writers, perWriter, async (streamId, version) =>
            {
                await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);
                session.Append(streamId, "bench", version, [new BenchEvent(0, version + 1, Payload)]);
                await session.Commit(CancellationToken.None);
            })).TotalSeconds);
        }
        return (Stats.Summary(raw).P50, Stats.Summary(appended).P50);
    }

    private static async Task<TimeSpan> Writers(int writers, int perWriter, Func<string, int, Task> append)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var streamId = "";
            for (var i = 0; i < perWriter; i++)
            {
                var version = i % FillerStreamLength;
                if (version == 0)
                {
                    streamId = $"bench-{Guid.NewGuid():N}";
                }
                await append(streamId, version);
            }
        })));
        return watch.Elapsed;
    }

    /// <summary>Median load times of one stream: its rows read raw, the full fold, and from its inline snapshot.</summary>
    private static async Task<StreamLoad> Loads(BenchDatabase database, EventStore store, EventStore snapshotted, string streamId, int length, int loads)
    {
        var raw = new List<double>();
        var full = new List<double>();
        var fromSnapshot = new List<double>();
        for (var i = 0; i <= loads; i++)
        {
            // The first of each is a warm-up, as the stream's pages come into memory.
            var rawTime = await RawReadTime(database, streamId);
            var fullTime = await LoadTime(store, streamId, length, fromSnapshot: false);
            var snapshotTime = await LoadTime(snapshotted, streamId, length, fromSnapshot: true);
            if (i > 0)
            {
                raw.Add(rawTime);
                full.Add(fullTime);
                fromSnapshot.Add(snapshotTime);
            }
        }
        return new StreamLoad(length, Median(raw), Median(full), Median(fromSnapshot));
    }

    private static async Task<double> LoadTime(EventStore store, string streamId, int length, bool fromSnapshot)
    {
        await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var loaded = fromSnapshot
            ? await session.Load(streamId, "bench", Snapshot, CancellationToken.None)
            : await session.Load(streamId, "bench", GrowthState.Empty, GrowthState.Evolve, CancellationToken.None);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (loaded.Version != length || loaded.State.Count != length)
        {
            throw new InvalidOperationException($"{streamId} loaded at version {loaded.Version} with {loaded.State.Count} events folded; {length} expected.");
        }
        return elapsed;
    }

    private static async Task<double> RawReadTime(BenchDatabase database, string streamId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var watch = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand("select version, type, data from mt_events where stream_id = $1 order by version", connection);
        command.Parameters.Add(new() { Value = streamId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _ = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => Stats.Summary(values).P50;

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task Execute(BenchDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(BenchDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static void Print(List<Stage> stages, int writers, int perWriter, int rounds, int loads)
    {
        Console.WriteLine();
        Console.WriteLine($"## Growth: append, one event per transaction into streams of five, {writers} writers, {writers * perWriter:N0} events per round, median of {rounds} interleaved rounds");
        Console.WriteLine("| events in the store | database size | fill (COPY, vacuum) | load average before / after | raw INSERT, same-size table, events/s | Session.Append + Commit, events/s | store / raw | store / store at the first size |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var stage in stages)
        {
            Console.WriteLine($"| {stage.Size:N0} | {stage.DatabaseBytes / 1e9:N1} GB | {stage.Fill.TotalSeconds:N0} s | {stage.LoadAverage} | {stage.RawRate:N0} | {stage.StoreRate:N0} | {stage.StoreRate / stage.RawRate:F2} | {stage.StoreRate / stages[0].StoreRate:F2} |");
        }
        Console.WriteLine();
        Console.WriteLine($"## Growth: load of one stream, median of {loads} loads, ms");
        Console.WriteLine("| events in the store | stream length | raw SELECT of its rows | Session.Load, full fold | Session.Load from the inline snapshot | full fold / snapshot |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var stage in stages)
        {
            foreach (var load in stage.Loads)
            {
                Console.WriteLine($"| {stage.Size:N0} | {load.Length:N0} | {load.Raw:F2} | {load.Full:F2} | {load.FromSnapshot:F2} | {load.Full / load.FromSnapshot:F0} |");
            }
        }
    }

    private sealed record StreamLoad(int Length, double Raw, double Full, double FromSnapshot);

    private sealed record Stage(long Size, TimeSpan Fill, long DatabaseBytes, string LoadAverage, double RawRate, double StoreRate, IReadOnlyList<StreamLoad> Loads);
}
