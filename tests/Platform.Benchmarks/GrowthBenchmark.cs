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
/// Append and load cost as the store grows (issue 9). Each size is filled with binary COPY into the
/// store's tables and into an identical raw table, so appends are measured against raw INSERTs into a
/// table of the same size; streams of 10 to 10,000 events, their events spread through the fill as a
/// provider's are through real traffic, are loaded with and without a snapshot.
/// </summary>
internal static class GrowthBenchmark
{
    private const int FillerStreamLength = 5;
    private static readonly int[] StreamLengths = [10, 100, 1_000, 10_000];
    private static readonly SnapshotPolicy<GrowthState> Snapshots = new("growth-state/1");
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
        await Execute(database, "create table raw_events (like events including all)");
        var store = database.Store();
        await Appends(database, store, writers, 25, rounds: 1);

        var stages = new List<Stage>();
        foreach (var size in sizes)
        {
            // Every event written so far, by the fills and the measurements alike: the identity never goes back.
            var inStore = await Scalar<long>(database, "select coalesce(max(seq), 0) from events");
            var lengths = StreamLengths.Where(n => n * 2 <= size - inStore).ToArray();
            var fill = Stopwatch.StartNew();
            var streams = await Fill(database, size - inStore, lengths);
            Console.Error.WriteLine($"filled to {size:N0} events in {fill.Elapsed.TotalSeconds:N0} s; vacuuming");
            await Execute(database, "vacuum (analyze) events, raw_events, streams");
            await Execute(database, "checkpoint");
            var filled = fill.Elapsed;

            var loadBefore = LoadAverage();
            var (raw, appended) = await Appends(database, store, writers, perWriter, rounds);
            var streamLoads = new List<StreamLoad>();
            foreach (var (id, length) in streams)
            {
                streamLoads.Add(await Loads(database, store, id, length, loads));
            }
            stages.Add(new Stage(size, filled, await Scalar<long>(database, "select pg_database_size(current_database())"),
                $"{loadBefore} / {LoadAverage()}", raw, appended, streamLoads));
            Console.Error.WriteLine($"measured at {size:N0}");
        }
        Print(stages, writers, perWriter, rounds, loads);
    }

    /// <summary>
    /// Adds <paramref name="count"/> events: streams of five, and one stream of each length, its events
    /// spread evenly through the others. The same rows go into raw_events.
    /// </summary>
    private static async Task<IReadOnlyList<(string Id, int Length)>> Fill(BenchDatabase database, long count, int[] lengths)
    {
        var longStreams = lengths.Select(n => (Id: $"bench-long-{n}-{Guid.NewGuid():N}", Length: n)).ToList();
        var filler = count - lengths.Sum();
        var spread = longStreams
            .SelectMany(s => Enumerable.Range(1, s.Length).Select(v => (At: (long)((v - 0.5) * filler / s.Length), s.Id, Version: v)))
            .OrderBy(e => e.At)
            .ToList();
        var now = DateTime.UtcNow;
        var traceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid():N}"[..52] + "-01";
        var metadata = $$"""{"messageId":"{{Guid.NewGuid()}}","correlationId":"{{Guid.NewGuid()}}","causationId":"{{Guid.NewGuid()}}","traceParent":"{{traceParent}}","traceState":null}""";

        await using var eventsConnection = await database.DataSource.OpenConnectionAsync();
        await using var rawConnection = await database.DataSource.OpenConnectionAsync();
        await using var streamsConnection = await database.DataSource.OpenConnectionAsync();
        const string columns = "(stream_id, version, type, data, metadata, recorded_at) from stdin (format binary)";
        await using var events = await eventsConnection.BeginBinaryImportAsync($"copy events {columns}");
        await using var raw = await rawConnection.BeginBinaryImportAsync($"copy raw_events {columns}");
        await using var streams = await streamsConnection.BeginBinaryImportAsync("copy streams (stream_id, stream_type, version, created_at, updated_at) from stdin (format binary)");

        void Event(string streamId, int version)
        {
            var data = $$"""{"writer":0,"number":{{version}},"payload":"{{Payload}}"}""";
            Row(events, streamId, version, data);
            Row(raw, streamId, version, data);
        }
        void Row(NpgsqlBinaryImporter importer, string streamId, int version, string data)
        {
            importer.StartRow();
            importer.Write(streamId, NpgsqlDbType.Text);
            importer.Write((long)version, NpgsqlDbType.Bigint);
            importer.Write("bench-event", NpgsqlDbType.Text);
            importer.Write(data, NpgsqlDbType.Jsonb);
            importer.Write(metadata, NpgsqlDbType.Jsonb);
            importer.Write(now, NpgsqlDbType.TimestampTz);
        }
        void Stream(string streamId, long version)
        {
            streams.StartRow();
            streams.Write(streamId, NpgsqlDbType.Text);
            streams.Write("bench", NpgsqlDbType.Text);
            streams.Write(version, NpgsqlDbType.Bigint);
            streams.Write(now, NpgsqlDbType.TimestampTz);
            streams.Write(now, NpgsqlDbType.TimestampTz);
        }

        var next = 0;
        var streamId = "";
        for (var i = 0L; i < filler; i++)
        {
            for (; next < spread.Count && spread[next].At <= i; next++)
            {
                Event(spread[next].Id, spread[next].Version);
            }
            var version = (int)(i % FillerStreamLength) + 1;
            if (version == 1)
            {
                streamId = $"bench-{Guid.NewGuid():N}";
                Stream(streamId, Math.Min(FillerStreamLength, filler - i));
            }
            Event(streamId, version);
        }
        for (; next < spread.Count; next++)
        {
            Event(spread[next].Id, spread[next].Version);
        }
        foreach (var (id, length) in longStreams)
        {
            Stream(id, length);
        }
        await Task.WhenAll(events.CompleteAsync().AsTask(), raw.CompleteAsync().AsTask(), streams.CompleteAsync().AsTask());
        return longStreams;
    }

    /// <summary>
    /// One event per transaction into fresh streams of five, store and raw taking turns round after
    /// round; each is reported by its median round.
    /// </summary>
    private static async Task<(double Raw, double Store)> Appends(BenchDatabase database, EventStore store, int writers, int perWriter, int rounds)
    {
        var metadata = System.Text.Json.JsonSerializer.Serialize(NoMetadata, Json.Options);
        var raw = new List<double>();
        var appended = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            raw.Add(writers * perWriter / (await Writers(writers, perWriter, async (streamId, version) =>
            {
                await using var connection = await database.DataSource.OpenConnectionAsync();
                await using var command = new NpgsqlCommand(
                    "insert into raw_events (stream_id, version, type, data, metadata, recorded_at) values ($1, $2, $3, $4::jsonb, $5::jsonb, $6)", connection);
                command.Parameters.Add(new() { Value = streamId });
                command.Parameters.Add(new() { Value = (long)version + 1 });
                command.Parameters.Add(new() { Value = "bench-event" });
                command.Parameters.Add(new() { Value = System.Text.Json.JsonSerializer.Serialize(new BenchEvent(0, version + 1, Payload), Json.Options) });
                command.Parameters.Add(new() { Value = metadata });
                command.Parameters.Add(new() { Value = DateTimeOffset.UtcNow });
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

    /// <summary>
    /// Median load times of one stream: its rows read raw, the full fold, and from a snapshot with no
    /// event after it and with 99, the most a load folds before it takes the next snapshot.
    /// </summary>
    private static async Task<StreamLoad> Loads(BenchDatabase database, EventStore store, string streamId, int length, int loads)
    {
        var raw = new List<double>();
        var full = new List<double>();
        for (var i = 0; i <= loads; i++)
        {
            // The first of each is a warm-up, as the stream's pages come into memory.
            var rawTime = await RawReadTime(database, streamId);
            var fullTime = await LoadTime(store, streamId, length, snapshots: null);
            if (i > 0)
            {
                raw.Add(rawTime);
                full.Add(fullTime);
            }
        }
        if (length < Snapshots.Every)
        {
            var below = new List<double>();
            for (var i = 0; i < loads; i++)
            {
                below.Add(await LoadTime(store, streamId, length, Snapshots));
            }
            return new StreamLoad(length, Median(raw), Median(full), Median(below), null);
        }

        await LoadTime(store, streamId, length, Snapshots);
        var fresh = new List<double>();
        for (var i = 0; i < loads; i++)
        {
            fresh.Add(await LoadTime(store, streamId, length, Snapshots));
        }
        await using (var session = await store.OpenSession(null, NoMetadata, CancellationToken.None))
        {
            session.Append(streamId, "bench", length, Enumerable.Range(length + 1, Snapshots.Every - 1).Select(n => new BenchEvent(0, n, Payload)));
            await session.Commit(CancellationToken.None);
        }
        var behind = new List<double>();
        for (var i = 0; i < loads; i++)
        {
            behind.Add(await LoadTime(store, streamId, length + Snapshots.Every - 1, Snapshots));
        }
        return new StreamLoad(length, Median(raw), Median(full), Median(fresh), Median(behind));
    }

    private static async Task<double> LoadTime(EventStore store, string streamId, int length, SnapshotPolicy<GrowthState>? snapshots)
    {
        await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var loaded = snapshots is null
            ? await session.Load(streamId, "bench", GrowthState.Empty, GrowthState.Evolve, CancellationToken.None)
            : await session.Load(streamId, "bench", GrowthState.Empty, GrowthState.Evolve, snapshots, CancellationToken.None);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (loaded.Version != length || (snapshots is null && loaded.State.Count != length))
        {
            throw new InvalidOperationException($"{streamId} loaded at version {loaded.Version} with {loaded.State.Count} events folded; {length} expected.");
        }
        return elapsed;
    }

    private static async Task<double> RawReadTime(BenchDatabase database, string streamId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var watch = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand("select version, type, data from events where stream_id = $1 order by version", connection);
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
        Console.WriteLine($"| events in the store | stream length | raw SELECT of its rows | Session.Load, full fold | from a snapshot, 0 events after it | from a snapshot, {Snapshots.Every - 1} events after it |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var stage in stages)
        {
            foreach (var load in stage.Loads)
            {
                var fresh = load.Behind is null ? $"{load.Fresh:F2} (under {Snapshots.Every} events: no snapshot)" : $"{load.Fresh:F2}";
                var behind = load.Behind is { } b ? $"{b:F2}" : "—";
                Console.WriteLine($"| {stage.Size:N0} | {load.Length:N0} | {load.Raw:F2} | {load.Full:F2} | {fresh} | {behind} |");
            }
        }
    }

    private sealed record StreamLoad(int Length, double Raw, double Full, double Fresh, double? Behind);

    private sealed record Stage(long Size, TimeSpan Fill, long DatabaseBytes, string LoadAverage, double RawRate, double StoreRate, IReadOnlyList<StreamLoad> Loads);
}
