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
    /// <summary>Rows taken per transaction; the transaction stays short so vacuum is not held back.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>The longest the relay sleeps without a notification (real time).</summary>
    public TimeSpan MaxIdle { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may wait for the broker's confirm before the batch is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause after a failed batch (broker or database down).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Batches in flight at once in one process. A batch mostly waits (on confirms, on round
    /// trips); SKIP LOCKED gives each its own rows, as it does to relays in other processes.
    /// </summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// How long a relay that found rows due but every one of them held by another relay waits
    /// before it looks again (woken sooner by a notification).
    /// </summary>
    public TimeSpan HeldRowsBackoff { get; set; } = TimeSpan.FromMilliseconds(20);
}

/// <summary>
/// Publishes due outbox rows and deletes them. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
/// number of relays can share a database; a crash between publish and delete publishes the row
/// again under the same MessageId, which the receiver's inbox turns into a no-op.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    MessageTypeRegistry types,
    TimeProvider clock,
    OutboxRelayOptions options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("Platform.EventSourcing");
    private static readonly Meter Meter = new("Platform.EventSourcing");
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("platform.outbox.published", description: "Outbox rows published");
    private static readonly Histogram<double> Lateness = Meter.CreateHistogram<double>("platform.outbox.lateness", "ms", "How long after its due time a row was published, by the service clock");

    private readonly Channel<bool>[] wakes = Enumerable.Range(0, Math.Max(1, options.Workers))
        .Select(_ => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }))
        .ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await RelayBatch(stoppingToken);
                if (published == options.BatchSize)
                {
                    continue;
                }
                var nextDue = await NextDue(stoppingToken);
                if (published == 0 && nextDue <= clock.GetUtcNow())
                {
                    // Rows are due but another relay holds them: looking again at once would only
                    // spin on its locks and take the CPU it needs to finish them.
                    await Task.WhenAny(Task.Delay(options.HeldRowsBackoff, stoppingToken), wake.Reader.WaitToReadAsync(stoppingToken).AsTask());
                    wake.Reader.TryRead(out _);
                    continue;
                }
                await Sleep(wake, nextDue, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Outbox relay batch failed; retrying in {Delay}", options.RetryDelay);
                await Task.Delay(options.RetryDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Publishes one batch of due rows; returns how many were published.</summary>
    public async Task<int> RelayBatch(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = new List<Row>();
        await using (var select = new NpgsqlCommand(
            "select id, due_at, destination, message_type, body, headers from outbox where due_at <= $1 order by due_at limit $2 for update skip locked",
            connection, tx))
        {
            select.Parameters.Add(new() { Value = now });
            select.Parameters.Add(new() { Value = options.BatchSize });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new Row(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetString(4), reader.GetString(5)));
            }
        }
        if (rows.Count == 0)
        {
            return 0;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.PublishTimeout);
        var results = await Task.WhenAll(rows.Select(row => TryPublish(row, timeout.Token)));
        var sent = rows.Where((_, i) => results[i] == Outcome.Published).Select(r => r.Id).ToArray();
        var poison = rows.Where((_, i) => results[i] == Outcome.Unpublishable).ToList();
        if (sent.Length > 0 || poison.Count > 0)
        {
            await using var delete = new NpgsqlCommand("delete from outbox where id = any($1)", connection, tx);
            delete.Parameters.Add(new() { Value = sent.Concat(poison.Select(p => p.Id)).ToArray() });
            await delete.ExecuteNonQueryAsync(ct);
        }
        foreach (var row in poison)
        {
            // Retrying cannot help a row whose type or body this build cannot read: it is kept for
            // operators with the reason instead of blocking the relay forever.
            await using var keep = new NpgsqlCommand(
                "insert into refusals (message_id, consumer, message_type, body, code, reason, refused_at) values ($1, 'outbox-relay', $2, $3::jsonb, 'Unpublishable', $4, $5)",
                connection, tx);
            keep.Parameters.Add(new() { Value = row.Id });
            keep.Parameters.Add(new() { Value = row.MessageType });
            keep.Parameters.Add(new() { Value = row.Body });
            keep.Parameters.Add(new() { Value = $"The outbox row cannot be turned into a message by this build ({row.MessageType})." });
            keep.Parameters.Add(new() { Value = clock.GetUtcNow() });
            await keep.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);

        var after = clock.GetUtcNow();
        foreach (var row in rows.Where((_, i) => results[i] == Outcome.Published))
        {
            Lateness.Record((after - row.DueAt).TotalMilliseconds);
        }
        Published.Add(sent.Length);
        var failed = rows.Count - sent.Length - poison.Count;
        if (failed > 0)
        {
            throw new OutboxPublishException(failed);
        }
        return sent.Length;
    }

    private async Task<Outcome> TryPublish(Row row, CancellationToken ct)
    {
        object message;
        Type type;
        try
        {
            type = types.TypeOf(row.MessageType);
            message = JsonSerializer.Deserialize(row.Body, type, Json.Options)!;
        }
        catch (Exception e) when (e is UnknownMessageTypeException or JsonException or NotSupportedException)
        {
            logger.LogError(e, "Outbox message {MessageId} ({MessageType}) cannot be read; it moves to the refusals", row.Id, row.MessageType);
            return Outcome.Unpublishable;
        }
        try
        {
            var metadata = JsonSerializer.Deserialize<MessageMetadata>(row.Headers, Json.Options)!;
            ActivityContext.TryParse(metadata.TraceParent, metadata.TraceState, out var parent);
            using var activity = ActivitySource.StartActivity("outbox relay", ActivityKind.Producer, parent);
            activity?.SetTag("messaging.message.id", row.Id);

            void Stamp(SendContext context)
            {
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
            return Outcome.Published;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Outbox message {MessageId} ({MessageType}) was not published; it stays for the next batch", row.Id, row.MessageType);
            return Outcome.Failed;
        }
        catch (OperationCanceledException)
        {
            return Outcome.Failed;
        }
    }

    private enum Outcome
    {
        Published,
        Failed,
        Unpublishable,
    }

    private async Task<DateTimeOffset?> NextDue(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select min(due_at) from outbox");
        return await command.ExecuteScalarAsync(ct) is DateTimeOffset due ? due : null;
    }

    private async Task Sleep(Channel<bool> wake, DateTimeOffset? nextDue, CancellationToken ct)
    {
        // The idle bound is real time; the wait for a due row is in clock time, so a compressed
        // clock brings scheduled messages forward too.
        var idle = options.MaxIdle;
        if (nextDue is { } due)
        {
            var untilDue = due - clock.GetUtcNow();
            if (untilDue <= TimeSpan.Zero)
            {
                return;
            }
            using var dueTimer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var dueTask = Task.Delay(untilDue, clock, dueTimer.Token);
            var idleTask = Task.Delay(idle, ct);
            await Task.WhenAny(dueTask, idleTask, wake.Reader.WaitToReadAsync(ct).AsTask());
            await dueTimer.CancelAsync();
            wake.Reader.TryRead(out _);
            return;
        }
        await Task.WhenAny(Task.Delay(idle, ct), wake.Reader.WaitToReadAsync(ct).AsTask());
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
                await using (var listen = new NpgsqlCommand($"listen {StoreTransaction.OutboxChannel}", connection))
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
}

public sealed class OutboxPublishException(int failed) : Exception($"{failed} outbox message(s) could not be published; they stay in the outbox.");

/// <summary>Headers the platform adds to every message it sends.</summary>
public static class PlatformHeaders
{
    /// <summary>The id of the message whose handling caused this one.</summary>
    public const string CausationId = "Platform-Causation-Id";
}
