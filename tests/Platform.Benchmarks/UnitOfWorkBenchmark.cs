using System.Diagnostics;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using Platform.EventSourcing;
using Weasel.Core;
using MessageMetadata = Platform.EventSourcing.MessageMetadata;

namespace Platform.Benchmarks;

/// <summary>
/// The unit of work of a consumer (issue 13): one event, the inbox row of the consumed message and
/// one outbox row, committed in one transaction. Through the store's <see cref="Session"/> against
/// raw INSERTs of the same three rows into plain tables of the same shape; and Marten's two append
/// modes on the same unit of work, each on a bare Marten store of its own, so the store's choice of
/// Quick rests on a measurement.
/// </summary>
internal static class UnitOfWorkBenchmark
{
    private const string Consumer = "bench-consumer";
    private const int Rounds = 7;

    private static readonly string Payload = new('x', 200);

    public static async Task Run(int writers, int perWriter)
    {
        await using var database = await BenchDatabase.Create();
        await using (var command = database.DataSource.CreateCommand(RawTables.Events + RawTables.InboxAndOutbox))
        {
            await command.ExecuteNonQueryAsync();
        }
        using var store = database.Store();
        await store.ApplySchema(CancellationToken.None);
        using var quick = BareMarten(database.DataSource, "quick", EventAppendMode.Quick);
        using var rich = BareMarten(database.DataSource, "rich", EventAppendMode.Rich);

        var paths = new (string Name, Func<string, int, Task> UnitOfWork)[]
        {
            ("raw: BEGIN, the three INSERTs in one batch, COMMIT (two round trips)", (stream, version) => Raw(database.DataSource, stream, version, explicitTransaction: true)),
            ("raw: the three INSERTs in one batch, implicit transaction (one round trip)", (stream, version) => Raw(database.DataSource, stream, version, explicitTransaction: false)),
            ("store: Session.Append + Publish + Commit (Marten Quick)", (stream, version) => Store(store, stream, version)),
            ("bare Marten, Quick append", (stream, version) => Bare(quick, database.DataSource, stream, version)),
            ("bare Marten, Rich append", (stream, version) => Bare(rich, database.DataSource, stream, version)),
        };

        // Warm every path so none pays for JIT, schema creation or pool growth in its measurement.
        foreach (var (path, index) in paths.Select((p, i) => (p, i)))
        {
            await Writers(writers, 20, $"warm{index}", path.UnitOfWork);
        }

        // The paths take turns, round after round, and each is reported by its median round: on a
        // shared machine one long run of each mostly measures what else happened meanwhile.
        var perRound = perWriter / Rounds;
        var rates = paths.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                rates[p].Add(writers * perRound / (await Writers(writers, perRound, $"p{p}r{round}", paths[p].UnitOfWork)).TotalSeconds);
            }
        }
        var medians = rates.Select(r => Stats.Summary(r).P50).ToArray();
        var roundTrips = new double[paths.Length];
        for (var p = 0; p < paths.Length; p++)
        {
            roundTrips[p] = await RoundTrips($"trips{p}", paths[p].UnitOfWork);
        }
        var (rawTx, rawImplicit, session, bareQuick, bareRich) = (medians[0], medians[1], medians[2], medians[3], medians[4]);

        Console.WriteLine();
        Console.WriteLine($"## Unit of work: one event + inbox row + outbox row in one transaction, {writers} writers, {writers * perRound * Rounds:N0} per path, median of {Rounds} interleaved rounds");
        Console.WriteLine("| path | units of work/s (median) | rounds | round trips per unit of work, a COMMIT sent on its own not counted |");
        Console.WriteLine("|---|---|---|---|");
        for (var p = 0; p < paths.Length; p++)
        {
            Console.WriteLine($"| {paths[p].Name} | {medians[p]:N0} | {string.Join(" ", rates[p].Select(r => r.ToString("N0")))} | {roundTrips[p]:F1} |");
        }
        Console.WriteLine($"| **store / raw in a transaction (target >= 0.5: {Target.Verdict(session / rawTx >= 0.5)})** | **{session / rawTx:F2}** | | |");
        Console.WriteLine($"| store / raw in one round trip | {session / rawImplicit:F2} | | |");
        Console.WriteLine($"| store / bare Marten Quick (the store's own cost over Marten's) | {session / bareQuick:F2} | | |");
        Console.WriteLine($"| bare Marten Rich / Quick | {bareRich / bareQuick:F2} | | |");

        Console.WriteLine();
        Console.WriteLine($"## Racing writers: {writers * 2} writers append to one stream, each reads its version and appends after it, 100 attempts each");
        Console.WriteLine("| append mode | appended | lost the race | rows in mt_events | tombstone rows | highest seq_id | sequence numbers with no row (holes) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var mode in new[] { EventAppendMode.Quick, EventAppendMode.Rich })
        {
            var race = await Race(database.DataSource, mode, writers * 2, 100);
            Console.WriteLine($"| {mode} | {race.Appended:N0} | {race.Lost:N0} | {race.Rows:N0} | {race.Tombstones:N0} | {race.MaxSequence:N0} | {race.MaxSequence - race.Rows:N0} |");
        }
    }

    private static DocumentStore BareMarten(NpgsqlDataSource dataSource, string schema, EventAppendMode mode) => DocumentStore.For(options =>
    {
        // As EventStore.Configure sets Marten up, the append mode aside.
        options.Connection(dataSource);
        options.DatabaseSchemaName = schema;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = mode;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.Events.MapEventType<BenchEvent>("bench-event");
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.DisableNpgsqlLogging = true;
    });

    /// <summary>Runs <paramref name="writers"/> writers, each appending to a stream of its own, one unit of work at a time.</summary>
    private static async Task<TimeSpan> Writers(int writers, int perWriter, string prefix, Func<string, int, Task> unitOfWork)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var version = 1; version <= perWriter; version++)
            {
                await unitOfWork($"{prefix}-{writer}", version);
            }
        })));
        return watch.Elapsed;
    }

    /// <summary>
    /// Commands and batches Npgsql sends per unit of work, counted from its trace on one writer after
    /// the measurement: each is a round trip, a batch of statements included.
    /// </summary>
    private static async Task<double> RoundTrips(string prefix, Func<string, int, Task> unitOfWork)
    {
        const int units = 50;
        var sent = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = _ => Interlocked.Increment(ref sent),
        };
        ActivitySource.AddActivityListener(listener);
        await Writers(1, units, prefix, unitOfWork);
        return sent / (double)units;
    }

    /// <summary>What a consumed message brings: its id, its flow's ids and a trace, as the services' events carry them.</summary>
    private static MessageMetadata Metadata() =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), $"00-{Guid.NewGuid():N}-{Guid.NewGuid():N}"[..52] + "-01", null);

    private static BenchEvent Event(int version) => new(0, version, Payload);

    private static string OutboxBody(MessageMetadata metadata) =>
        JsonSerializer.Serialize(new BenchMessage(metadata.CorrelationId!.Value, 1, DateTimeOffset.UtcNow), Json.Options);

    private static async Task Store(EventStore store, string stream, int version)
    {
        var metadata = Metadata();
        await using var session = await store.OpenSession(new IncomingMessage(metadata.MessageId!.Value, Consumer), metadata, CancellationToken.None);
        session.Append(stream, "bench", version - 1, [Event(version)]);
        session.Publish(new BenchMessage(metadata.CorrelationId!.Value, 1, DateTimeOffset.UtcNow));
        await session.Commit(CancellationToken.None);
    }

    /// <summary>The statements the store's unit of work sends, on a bare Marten session in a transaction of its own.</summary>
    private static async Task Bare(DocumentStore marten, NpgsqlDataSource dataSource, string stream, int version)
    {
        var metadata = Metadata();
        var now = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var session = marten.LightweightSession(SessionOptions.ForTransaction(transaction));
        session.QueueSqlCommand("insert into public.inbox (message_id, consumer, processed_at) values (?, ?, ?)", metadata.MessageId!.Value, Consumer, now);
        var @event = session.Events.BuildEvent(Event(version));
        @event.CorrelationId = metadata.CorrelationId!.Value.ToString();
        @event.CausationId = metadata.CausationId!.Value.ToString();
        @event.SetHeader("unit-of-work", Guid.NewGuid().ToString());
        @event.SetHeader("message-id", metadata.MessageId.Value.ToString());
        @event.SetHeader("traceparent", metadata.TraceParent!);
        session.Events.Append(stream, version, @event);
        session.QueueSqlCommand(
            "insert into public.outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            Guid.NewGuid(), now, false, DBNull.Value, "bench-message", OutboxBody(metadata), JsonSerializer.Serialize(metadata, Json.Options), now);
        await session.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private static async Task Raw(NpgsqlDataSource dataSource, string stream, int version, bool explicitTransaction)
    {
        var metadata = Metadata();
        var now = DateTimeOffset.UtcNow;
        var headers = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["unit-of-work"] = Guid.NewGuid().ToString(),
            ["message-id"] = metadata.MessageId!.Value.ToString(),
            ["traceparent"] = metadata.TraceParent!,
        });
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = explicitTransaction ? await connection.BeginTransactionAsync() : null;
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command(
                    "insert into raw_inbox (message_id, consumer, processed_at) values ($1, $2, $3)",
                    metadata.MessageId.Value, Consumer, now),
                Command(
                    "insert into raw_events (id, stream_id, version, data, type, timestamp, mt_dotnet_type, correlation_id, causation_id, headers) values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10::jsonb)",
                    Guid.NewGuid(), stream, (long)version, JsonSerializer.Serialize(Event(version), Json.Options), "bench-event", now,
                    typeof(BenchEvent).FullName!, metadata.CorrelationId!.Value.ToString(), metadata.CausationId!.Value.ToString(), headers),
                Command(
                    "insert into raw_outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
                    Guid.NewGuid(), now, false, DBNull.Value, "bench-message", OutboxBody(metadata), JsonSerializer.Serialize(metadata, Json.Options), now),
            },
        };
        await batch.ExecuteNonQueryAsync();
        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }
        return command;
    }

    private sealed record RaceOutcome(int Appended, int Lost, long Rows, long Tombstones, long MaxSequence);

    /// <summary>
    /// Writers racing on one stream, as two consumers of one aggregate do: each reads the version and
    /// appends after it, and all but one of a race lose at the commit. What the losers leave behind in
    /// the event sequence is what an async projection would have to wait for or skip.
    /// </summary>
    private static async Task<RaceOutcome> Race(NpgsqlDataSource dataSource, EventAppendMode mode, int writers, int attempts)
    {
        // A schema of its own, so what the race leaves is all there is in its mt_events.
        var schema = $"race_{mode}".ToLowerInvariant();
        using var marten = BareMarten(dataSource, schema, mode);
        var stream = $"race-{Guid.NewGuid():N}";
        await Bare(marten, dataSource, stream, 1);
        var appended = 0;
        var lost = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < attempts; i++)
            {
                await using var read = dataSource.CreateCommand($"select version from {schema}.mt_streams where id = $1");
                read.Parameters.Add(new() { Value = stream });
                var version = (long)(await read.ExecuteScalarAsync())!;
                try
                {
                    await Bare(marten, dataSource, stream, (int)version + 1);
                    Interlocked.Increment(ref appended);
                }
                catch (Exception e) when (IsLostRace(e))
                {
                    Interlocked.Increment(ref lost);
                }
            }
        })));
        await using var count = dataSource.CreateCommand(
            $"select count(*), count(*) filter (where type = 'tombstone'), coalesce(max(seq_id), 0) from {schema}.mt_events");
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new RaceOutcome(appended, lost, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static bool IsLostRace(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
                or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or "MT003" })
            {
                return true;
            }
        }
        return false;
    }
}
