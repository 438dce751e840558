using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.EventSourcing;

public sealed class OutboxRelayOptions
{
    /// <summary>
    /// Messages claimed at once, in whole rows (at least one, however many it carries); the claim is
    /// one short statement, so vacuum is not held back.
    /// </summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// The longest the relay sleeps without being woken (real time): how late it notices rows another
    /// process committed, a lost notification, or a dead relay's claim once its lease has run out.
    /// </summary>
    public TimeSpan MaxIdle { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may wait for the broker's confirm before it counts as a failed attempt.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claim keeps other relays off its rows (database time). Longer than a batch's
    /// publishing (<see cref="PublishTimeout"/>), so a row is taken over only from a relay that died.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The pause after a failed batch, and the first back-off of a row that failed (doubling per attempt).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a failed row waits before its next attempt.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failed publishes after which a row moves to the refusals for an operator (<c>platform outbox
    /// retry</c>); with the default back-off, about a quarter of an hour of failing. A broker that is
    /// down costs no attempts: a failure counts only while the bus is healthy.
    /// </summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>
    /// Batches in flight at once in one process. A batch mostly waits (on confirms, on round
    /// trips); SKIP LOCKED and the lease give each its own rows, as they do to relays in other processes.
    /// </summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// How long a relay that found rows due but every one of them being claimed by another relay waits
    /// before it looks again (woken sooner by a commit).
    /// </summary>
    public TimeSpan HeldRowsBackoff { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Connections of the plumbing's own pool (<see cref="PlumbingDataSource"/>): one per worker,
    /// the listener's, and a few for health checks and retention, so a consumer burst cannot starve them.
    /// The services' default is <see cref="Workers"/> + 4.
    /// </summary>
    public int PoolSize { get; set; } = 6;
}

/// <summary>
/// Publishes due outbox rows and deletes them. A short statement claims rows (FOR UPDATE SKIP LOCKED
/// and a lease, <c>locked_until</c>), so any number of relays can share a database and no transaction
/// is open while the broker is slow; a crash between publish and delete publishes the row again, once
/// its lease has run out, under the same MessageId, which the receiver's inbox turns into a no-op.
/// </summary>
public sealed class OutboxRelay(
    PlumbingDataSource plumbing,
    IBusControl bus,
    MessageTypeRegistry types,
    TimeProvider clock,
    OutboxRelayOptions options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("Platform.EventSourcing");
    private static readonly Meter Meter = new("Platform.EventSourcing");
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("platform.outbox.published", description: "Outbox rows published");
    private static readonly Counter<long> Parked = Meter.CreateCounter<long>("platform.outbox.parked", description: "Outbox rows moved to the refusals after failing to publish");
    private static readonly Histogram<double> Lateness = Meter.CreateHistogram<double>("platform.outbox.lateness", "ms", "How long after its due time a row was published, by the service clock");

    /// <summary>
    /// What another process notifies when it has put rows in the outbox (an operator's retry); the commits of
    /// this process wake the relay directly (<see cref="OutboxWakeups"/>).
    /// </summary>
    internal const string NotifyChannel = "platform_outbox";

    /// <summary>A row no relay holds: not claimed (or its claimer died), not backing off after a failure.</summary>
    private const string Free = "(locked_until is null or locked_until <= now()) and (retry_at is null or retry_at <= now())";

    private readonly NpgsqlDataSource dataSource = plumbing.DataSource;

    private readonly Channel<bool>[] wakes = Enumerable.Range(0, Math.Max(1, options.Workers))
        .Select(_ => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }))
        .ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var commits = OutboxWakeups.Register(OutboxWakeups.Key(dataSource), WakeAll);
        var listener = Listen(stoppingToken);
        await Task.WhenAll(wakes.Select(wake => Work(wake, stoppingToken)));
        await listener.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private void WakeAll()
    {
        foreach (var wake in wakes)
        {
            wake.Writer.TryWrite(true);
        }
    }

    private async Task Work(Channel<bool> wake, CancellationToken stoppingToken)
    {
        // When rows this worker backed off are free again (Stopwatch timestamps): no notification comes
        // for them, so the worker looks then of its own accord. Every end is kept until a look has begun
        // after it; keeping only the soonest lost a later one when the soonest passed.
        var backOffEnds = new List<long>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var looked = Stopwatch.GetTimestamp();
            try
            {
                await WaitForBus(stoppingToken);
                looked = Stopwatch.GetTimestamp();
                var (claimed, next) = await RelayBatch(stoppingToken);
                BackOffEnds(backOffEnds, looked, next.Retry);
                if (claimed >= options.BatchSize)
                {
                    continue;
                }
                if (claimed == 0 && next.DueNow)
                {
                    // Rows are due but another relay's claim holds them this instant: looking again at
                    // once would only spin on its locks and take the CPU it needs to finish them.
                    await Task.WhenAny(Task.Delay(options.HeldRowsBackoff, stoppingToken), wake.Reader.WaitToReadAsync(stoppingToken).AsTask());
                    wake.Reader.TryRead(out _);
                    continue;
                }
                TimeSpan? untilBackOffEnds = backOffEnds.Count == 0 ? null
                    : Stopwatch.GetElapsedTime(Math.Min(Stopwatch.GetTimestamp(), backOffEnds.Min()), backOffEnds.Min());
                await Sleep(wake, next with { Retry = untilBackOffEnds }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (e is OutboxPublishException failed)
                {
                    BackOffEnds(backOffEnds, looked, failed.BackOff);
                }
                logger.LogWarning(e, "Outbox relay batch failed; retrying in {Delay}", options.RetryDelay);
                await Task.Delay(options.RetryDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Forgets the back-offs whose end the look begun at <paramref name="looked"/> came after, and adds a new one's end.</summary>
    private static void BackOffEnds(List<long> ends, long looked, TimeSpan? backOff)
    {
        ends.RemoveAll(end => end <= looked);
        if (backOff is { } after)
        {
            ends.Add(Stopwatch.GetTimestamp() + (long)Math.Ceiling(after.TotalSeconds * Stopwatch.Frequency));
        }
    }

    /// <summary>
    /// Once a whole batch has failed with the bus not healthy, the broker is taken to be away: nothing
    /// more is claimed until the bus is healthy again, rather than every row being tried for nothing.
    /// </summary>
    private async Task WaitForBus(CancellationToken ct)
    {
        var logged = false;
        while (brokerAway && !BusHealthy())
        {
            if (!logged)
            {
                logger.LogWarning("Outbox relay waits for the bus to be healthy before it claims rows");
                logged = true;
            }
            await Task.Delay(options.RetryDelay, ct);
        }
    }

    /// <remarks>
    /// With the broker gone MassTransit reports its receive endpoints unhealthy and the bus degraded,
    /// not unhealthy; a bus degraded by one endpoint of its own still publishes, so it is not waited
    /// on until a whole batch has failed (<see cref="brokerAway"/>).
    /// </remarks>
    private bool BusHealthy() => bus.CheckHealth().Status == BusHealthStatus.Healthy;

    private volatile bool brokerAway;

    /// <summary>
    /// Claims, publishes and settles one batch of due rows; returns how many messages they carried, and what
    /// was due next once they were (read with the claim, in the same round trip).
    /// </summary>
    /// <param name="ct">Stops the relay from claiming; a batch once claimed is published and settled regardless.</param>
    private async Task<(int Claimed, NextRow Next)> RelayBatch(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var (rows, next) = await Claim();
        if (rows.Count == 0)
        {
            return (0, next);
        }

        var messages = rows.SelectMany(Messages).ToList();
        // Not the stopping token: a shutdown lets the publishes in flight finish and deletes what the
        // broker confirmed; cancelling them would leave confirmed rows to be published again.
        using var timeout = new CancellationTokenSource(options.PublishTimeout);
        var results = await Task.WhenAll(messages.Select(message => message.Unreadable is { } error
            ? Task.FromResult(new Result(Outcome.Unpublishable, error))
            : TryPublish(message, timeout.Token)));
        // A failure with the bus not healthy is the broker's, not the row's: it costs no attempt.
        var healthy = BusHealthy();
        var backOff = await Settle(messages, results, countAttempts: healthy);

        var after = clock.GetUtcNow();
        var sent = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (results[i].Outcome == Outcome.Published)
            {
                sent++;
                Lateness.Record((after - messages[i].Row.DueAt).TotalMilliseconds);
            }
        }
        Published.Add(sent);
        var failed = results.Count(r => r.Outcome == Outcome.Failed);
        brokerAway = sent == 0 && failed > 0 && !healthy;
        if (sent == 0 && failed > 0)
        {
            // Every row failed: the broker is in trouble, not one row, and the worker pauses.
            throw new OutboxPublishException(failed, backOff);
        }
        return (messages.Count, next with { Retry = backOff });
    }

    /// <summary>The messages a row carries: itself, or those of a shared row (<see cref="OutboxBatch"/>).</summary>
    private IEnumerable<Message> Messages(Row row)
    {
        if (row.MessageType != OutboxBatch.MessageType)
        {
            return [new Message(row, row.Id, row.Destination, row.MessageType, row.Body, row.Headers)];
        }
        try
        {
            return OutboxBatch.Read(row.Body, row.DueAt, row.DueAt)
                .Select(m => new Message(row, m.Id, m.Destination, m.MessageType, m.Body, m.Headers));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            logger.LogError(e, "Outbox row {RowId} of several messages cannot be read; it moves to the refusals", row.Id);
            return [new Message(row, row.Id, row.Destination, row.MessageType, row.Body, row.Headers, $"The shared outbox row cannot be read: {e.Message}")];
        }
    }

    /// <summary>
    /// Takes up to a batch of due rows in one statement, which commits on its own: immediate rows
    /// whatever their due time says (it is the writer's clock, not this relay's), scheduled rows
    /// due by the service clock; neither while another relay's lease on them runs.
    /// </summary>
    /// <remarks>
    /// Not cancellable: a claim cut off after it committed would leave its rows to wait out the lease.
    /// What falls due next is asked in the same batch, after the claim, so it already leaves out the
    /// rows just claimed: one round trip per batch fewer, which at a steady trickle of due rows is a
    /// third of the relay's round trips.
    /// </remarks>
    private async Task<(List<Row> Rows, NextRow Next)> Claim()
    {
        await using var batch = dataSource.CreateBatch();
        var claim = new NpgsqlBatchCommand(ClaimSql);
        claim.Parameters.Add(new() { Value = clock.GetUtcNow() });
        claim.Parameters.Add(new() { Value = options.BatchSize });
        claim.Parameters.Add(new() { Value = options.Lease });
        batch.BatchCommands.Add(claim);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(NextDueSql));
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<Row>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(new Row(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }
        await reader.NextResultAsync(CancellationToken.None);
        return (rows, await ReadNext(reader, CancellationToken.None));
    }

    /// <summary>
    /// One implicit transaction, after the publishing: deletes what was confirmed; counts a failed
    /// attempt and backs the row off; moves rows out of attempts, or unreadable by this build, to
    /// the refusals with their destination and headers, where <c>platform outbox retry</c> finds them.
    /// A shared row is deleted once all its messages were confirmed; else the ones that were not go
    /// back in rows of their own, with the attempt counted, and from then on fare as any row.
    /// Returns how long until the soonest of the rows it backed off is free again, if any stays.
    /// </summary>
    private async Task<TimeSpan?> Settle(List<Message> messages, Result[] results, bool countAttempts)
    {
        var sent = new List<Guid>();
        var failedIds = new List<Guid>();
        var errors = new List<string>();
        var unpublishable = new List<Guid>();
        var splitRows = new List<Guid>();
        var splitIds = new List<Guid>();
        var splitErrors = new List<string>();
        // A row's messages are next to each other (RelayBatch reads them row by row).
        foreach (var rowResults in messages.Zip(results, (message, result) => (Message: message, Result: result)).ChunkBy(m => m.Message.Row))
        {
            var row = rowResults[0].Message.Row;
            if (rowResults.All(r => r.Result.Outcome == Outcome.Published))
            {
                sent.Add(row.Id);
            }
            else if (row.MessageType == OutboxBatch.MessageType && rowResults.All(r => r.Message.Unreadable is null))
            {
                splitRows.Add(row.Id);
                foreach (var (message, result) in rowResults.Where(r => r.Result.Outcome != Outcome.Published))
                {
                    splitIds.Add(message.Id);
                    splitErrors.Add(result.Error!);
                }
            }
            else
            {
                var (_, result) = rowResults.Single();
                if (result.Outcome == Outcome.Unpublishable)
                {
                    unpublishable.Add(row.Id);
                }
                failedIds.Add(row.Id);
                errors.Add(result.Error!);
            }
        }
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var batch = new NpgsqlBatch(connection);
        if (sent.Count > 0)
        {
            batch.BatchCommands.Add(Command("delete from outbox where id = any($1)", sent.ToArray()));
        }
        if (splitRows.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                with split as (delete from outbox where id = any($1) returning id, due_at, created_at, body)
                insert into outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at, attempts, last_error, retry_at)
                select f.id, s.due_at, false, m->>'destination', m->>'messageType', (m->'body')::text, (m->'headers')::text, s.created_at,
                    $4, f.error, now() + $5
                from split s cross join jsonb_array_elements(s.body::jsonb) m
                join unnest($2::uuid[], $3::text[]) as f(id, error) on (m->>'id')::uuid = f.id
                on conflict (id) do nothing
                """, splitRows.ToArray(), splitIds.ToArray(), splitErrors.ToArray(), countAttempts ? 1 : 0, options.RetryDelay));
        }
        if (failedIds.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                update outbox o set attempts = o.attempts + $5, last_error = f.error, locked_until = null,
                    retry_at = now() + least($3 * power(2, least(o.attempts, 30)), $4)
                from unnest($1::uuid[], $2::text[]) as f(id, error) where o.id = f.id
                """, failedIds.ToArray(), errors.ToArray(), options.RetryDelay, options.MaxRetryDelay, countAttempts ? 1 : 0));
            batch.BatchCommands.Add(Command("""
                with parked as (
                    delete from outbox where id = any($1) and (attempts >= $2 or id = any($3))
                    returning id, destination, message_type, body, headers, attempts, last_error)
                insert into refusals (message_id, consumer, message_type, body, code, reason, refused_at, destination, headers)
                select id, 'outbox-relay', message_type, body::jsonb,
                    case when id = any($3) then 'Unpublishable' else 'PublishFailed' end,
                    case when id = any($3) then last_error else format('Not published after %s attempts; the last: %s', attempts, last_error) end,
                    $4, destination, headers::jsonb
                from parked
                returning code
                """, failedIds.ToArray(), options.MaxAttempts, unpublishable.ToArray(), clock.GetUtcNow()));
        }
        var backedOff = failedIds.Concat(splitIds).ToArray();
        if (backedOff.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                $"select extract(epoch from min(retry_at) - now())::float8 as {BackOffColumn} from outbox where id = any($1) and retry_at is not null",
                backedOff));
        }
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
        var parked = 0;
        TimeSpan? backOff = null;
        do
        {
            var isBackOff = reader.FieldCount == 1 && reader.GetName(0) == BackOffColumn;
            while (await reader.ReadAsync(CancellationToken.None))
            {
                if (!isBackOff)
                {
                    parked++;
                }
                else if (!reader.IsDBNull(0))
                {
                    backOff = TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(0)));
                }
            }
        }
        while (await reader.NextResultAsync(CancellationToken.None));
        if (parked > 0)
        {
            Parked.Add(parked);
            logger.LogError("{Count} outbox message(s) moved to the refusals; `platform outbox retry` sends them again", parked);
        }
        return backOff;
    }

    private const string BackOffColumn = "back_off_seconds";

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }
        return command;
    }

    private async Task<Result> TryPublish(Message row, CancellationToken ct)
    {
        Type type;
        try
        {
            type = types.TypeOf(row.MessageType);
        }
        catch (UnknownMessageTypeException e)
        {
            // Retrying cannot help a row whose type this build does not know: it is kept for
            // operators with the reason instead of blocking the relay.
            logger.LogError(e, "Outbox message {MessageId} ({MessageType}) cannot be read; it moves to the refusals", row.Id, row.MessageType);
            return new(Outcome.Unpublishable, $"The outbox row cannot be turned into a message by this build ({row.MessageType}): {e.Message}");
        }
        try
        {
            var metadata = JsonSerializer.Deserialize<MessageMetadata>(row.Headers, Json.Options)!;
            ActivityContext.TryParse(metadata.TraceParent, metadata.TraceState, out var parent);
            using var activity = ActivitySource.StartActivity("outbox relay", ActivityKind.Producer, parent);
            activity?.SetTag("messaging.message.id", row.Id);
            var message = StoredMessageBody.Placeholder(type);

            void Stamp(SendContext context)
            {
                context.Serializer = new StoredMessageBody(row.Body);
                context.MessageId = row.Id;
                context.CorrelationId = metadata.CorrelationId;
                context.InitiatorId = metadata.MessageId;
                if (metadata.MessageId is { } causation)
                {
                    context.Headers.Set(PlatformHeaders.CausationId, causation.ToString());
                }
            }

            if (row.Destination is null)
            {
                await bus.Publish(message, type, Pipe.Execute<PublishContext>(Stamp), ct);
            }
            else
            {
                var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{row.Destination}"));
                await endpoint.Send(message, type, Pipe.Execute<SendContext>(Stamp), ct);
            }
            return new(Outcome.Published, null);
        }
        catch (Exception e)
        {
            var error = e is OperationCanceledException ? $"No confirm from the broker within {options.PublishTimeout}." : $"{e.GetType().Name}: {e.Message}";
            logger.LogWarning(e, "Outbox message {MessageId} ({MessageType}) was not published; it is tried again later", row.Id, row.MessageType);
            return new(Outcome.Failed, error);
        }
    }

    private enum Outcome
    {
        Published,
        Failed,
        Unpublishable,
    }

    private readonly record struct Result(Outcome Outcome, string? Error);

    /// <summary>
    /// Claims up to a batch of due rows: immediate rows in commit order, then scheduled rows whose time has
    /// come by the service clock ($1), under a lease ($3); $2 is the batch size in messages.
    /// </summary>
    internal const string ClaimSql = $"""
        with immediate as (
            select id, due_at, messages from outbox
            where not scheduled and {Free}
            order by due_at limit $2 for update skip locked),
        due as (
            select id, due_at, messages from outbox
            where scheduled and due_at <= $1 and {Free}
            order by due_at limit $2 for update skip locked),
        chosen as (
            -- Whole rows, up to a batch's worth of messages (the first row whatever it carries).
            select id from (
                select id, due_at, sum(messages) over (order by due_at, id) - messages as before
                from (select * from immediate union all select * from due) candidates) counted
            where before < $2 order by due_at limit $2)
        update outbox o set locked_until = now() + $3
        where o.id = any(array(select id from chosen))
        returning o.id, o.due_at, o.destination, o.message_type, o.body, o.headers
        """;

    /// <summary>
    /// The earliest unclaimed scheduled row, due by the service clock: the one wake-up the relay reads
    /// from the table. Immediate rows wake it as their commit ends (<see cref="OutboxWakeups"/>), a row it
    /// backed off by its own timer (<see cref="NextRow.Retry"/>), and rows of other processes or another
    /// relay's lease running out by the idle bound's poll (<see cref="OutboxRelayOptions.MaxIdle"/>).
    /// </summary>
    /// <remarks>
    /// Asking for an unclaimed immediate row and for the next lease's end as well cost two more walks
    /// of index heads per batch; past every row relayed and not yet vacuumed, those walks were most of
    /// what the relay cost PostgreSQL. The row comes from outbox_scheduled in its order, which the
    /// planner takes with or without statistics.
    /// </remarks>
    internal const string NextDueSql = $"select due_at from outbox where scheduled and {Free} order by due_at limit 1";

    private async Task<NextRow> ReadNext(NpgsqlDataReader reader, CancellationToken ct)
    {
        var scheduled = await reader.ReadAsync(ct) ? reader.GetFieldValue<DateTimeOffset>(0) : (DateTimeOffset?)null;
        return new NextRow(scheduled <= clock.GetUtcNow(), scheduled, null);
    }

    /// <param name="Retry">How long until a row this relay backed off is free again: a look then, in real time.</param>
    private readonly record struct NextRow(bool DueNow, DateTimeOffset? Scheduled, TimeSpan? Retry);

    private async Task Sleep(Channel<bool> wake, NextRow next, CancellationToken ct)
    {
        if (next.DueNow)
        {
            return;
        }
        // The idle bound and back-offs are real time; the wait for a scheduled row is in clock time, so a
        // compressed clock brings scheduled messages forward too.
        var idle = next.Retry is { } retry && retry < options.MaxIdle ? retry : options.MaxIdle;
        using var timers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waits = new List<Task> { Task.Delay(idle, timers.Token), wake.Reader.WaitToReadAsync(timers.Token).AsTask() };
        if (next.Scheduled is { } due)
        {
            var untilDue = due - clock.GetUtcNow();
            waits.Add(Task.Delay(untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero, clock, timers.Token));
        }
        await Task.WhenAny(waits);
        await timers.CancelAsync();
        wake.Reader.TryRead(out _);
    }

    private async Task Listen(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => WakeAll();
                await using (var listen = new NpgsqlCommand($"listen {NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                // Whatever was notified while disconnected is picked up by this pass.
                WakeAll();
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(TimeSpan.FromSeconds(30), ct);
                    if (connection.FullState != System.Data.ConnectionState.Open)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogInformation(e, "Outbox listener lost its connection; reconnecting");
                await Task.Delay(options.RetryDelay, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private sealed record Row(Guid Id, DateTimeOffset DueAt, string? Destination, string MessageType, string Body, string Headers);

    /// <summary>One message to publish, from <paramref name="Row"/>: the row itself or one of a shared row's.</summary>
    private sealed record Message(Row Row, Guid Id, string? Destination, string MessageType, string Body, string Headers, string? Unreadable = null);
}

internal static class RowRuns
{
    /// <summary>Consecutive items with the same key (by reference), each run as a list.</summary>
    public static IEnumerable<List<T>> ChunkBy<T, TKey>(this IEnumerable<T> items, Func<T, TKey> key)
        where TKey : class
    {
        List<T>? run = null;
        foreach (var item in items)
        {
            if (run is not null && !ReferenceEquals(key(run[0]), key(item)))
            {
                yield return run;
                run = null;
            }
            (run ??= []).Add(item);
        }
        if (run is not null)
        {
            yield return run;
        }
    }
}

public sealed class OutboxPublishException(int failed, TimeSpan? backOff) : Exception($"{failed} outbox message(s) could not be published; they stay in the outbox.")
{
    /// <summary>How long until the soonest of the rows backed off is free again.</summary>
    public TimeSpan? BackOff { get; } = backOff;
}

/// <summary>Headers the platform adds to every message it sends.</summary>
public static class PlatformHeaders
{
    /// <summary>The id of the message whose handling caused this one.</summary>
    public const string CausationId = "Platform-Causation-Id";
}
