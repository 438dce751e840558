using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Platform.EventSourcing;

/// <summary>A stream as loaded: its folded state and the version an append must expect.</summary>
public sealed record LoadedStream<TState>(string StreamId, string StreamType, long Version, TState State);

/// <summary>What a commit did: applied, or nothing because the incoming message was consumed before.</summary>
public enum CommitResult
{
    Committed,
    AlreadyConsumed,
}

/// <summary>
/// One unit of work: loads, appends, outbox and scheduled messages, and the inbox record of the
/// consumed message, all committed in one PostgreSQL transaction or not at all. The commit is one
/// batch; unless the work asked for <see cref="Transaction"/> (to write read models or take locks
/// as it goes), that batch is PostgreSQL's implicit transaction and the commit costs one round trip.
/// </summary>
public sealed partial class Session : IAsyncDisposable
{
    public const string OutboxChannel = "platform_outbox";

    private readonly NpgsqlConnection connection;
    private NpgsqlTransaction? transaction;
    private readonly MessageTypeRegistry types;
    private readonly TimeProvider clock;
    private readonly IncomingMessage? incoming;
    private readonly MessageMetadata metadata;
    private readonly List<PendingAppend> appends = [];
    private readonly List<OutboxMessage> outgoing = [];
    private readonly List<Refusal> refusals = [];
    private readonly SessionBatch? batch;
    private bool finished;

    internal Session(NpgsqlConnection connection, MessageTypeRegistry types, TimeProvider clock, IncomingMessage? incoming, MessageMetadata metadata, SessionBatch? batch = null)
    {
        this.connection = connection;
        this.types = types;
        this.clock = clock;
        this.incoming = incoming;
        this.metadata = metadata;
        this.batch = batch;
    }

    /// <summary>The session's connection and transaction, for read models written in the same unit of work.</summary>
    public NpgsqlConnection Connection => connection;

    /// <summary>
    /// The unit of work's explicit transaction, begun on first use: what is written or locked with
    /// it commits or rolls back with the events. Reads before it see committed data, as reads in a
    /// READ COMMITTED transaction would; the expected version catches any change since.
    /// </summary>
    public NpgsqlTransaction Transaction => transaction ??= batch?.Transaction ?? connection.BeginTransaction();
    public MessageMetadata Metadata => metadata;

    /// <summary>True when the incoming message was consumed before: the caller can stop early.</summary>
    public async Task<bool> AlreadyConsumed(CancellationToken ct)
    {
        if (incoming is null || batch is not null)
        {
            // In a batch, the batch's commit finds a redelivery instead, at no extra round trip.
            return false;
        }
        await using var command = new NpgsqlCommand("select exists (select 1 from inbox where message_id = $1 and consumer = $2)", connection, transaction);
        command.Parameters.Add(new() { Value = incoming.MessageId });
        command.Parameters.Add(new() { Value = incoming.Consumer });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<LoadedStream<TState>> Load<TState>(string streamId, string streamType, TState initial, Func<TState, object, TState> evolve, CancellationToken ct)
    {
        var events = await ReadStream(streamId, ct);
        var state = initial;
        foreach (var stored in events)
        {
            state = evolve(state, stored.Data);
        }
        return new LoadedStream<TState>(streamId, streamType, events.Count == 0 ? 0 : events[^1].Version, state);
    }

    public Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, CancellationToken ct) =>
        batch?.Preloaded(streamId) is { } preloaded
            ? Task.FromResult(preloaded)
            : StreamReader.Read(connection, transaction, types, streamId, ct);

    /// <summary>Appends after the loaded version; a writer that got there first makes the commit fail.</summary>
    public void Append<TState>(LoadedStream<TState> stream, IEnumerable<object> events) =>
        Append(stream.StreamId, stream.StreamType, stream.Version, events);

    public void Append(string streamId, string streamType, long expectedVersion, IEnumerable<object> events)
    {
        var list = events.ToList();
        if (list.Count == 0)
        {
            return;
        }
        if (appends.Any(a => a.StreamId == streamId))
        {
            throw new InvalidOperationException($"Stream '{streamId}' is appended twice in one unit of work; append all its events at once.");
        }
        appends.Add(new PendingAppend(streamId, streamType, expectedVersion, list));
    }

    /// <summary>Publishes when the unit of work commits.</summary>
    public Guid Publish(object message) => Enqueue(message, destination: null, dueAt: null);

    /// <summary>Sends to one named queue when the unit of work commits.</summary>
    public Guid Send(string queue, object message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        return Enqueue(message, queue, dueAt: null);
    }

    /// <summary>
    /// Publishes (or sends, with a queue) at <paramref name="dueAt"/> by the service's clock. The id
    /// returned cancels it, and is the MessageId it will carry.
    /// </summary>
    public Guid Schedule(DateTimeOffset dueAt, object message, string? queue = null) => Enqueue(message, queue, dueAt);

    /// <summary>Removes a scheduled message not yet sent; false when it was sent already or never existed.</summary>
    public async Task<bool> CancelScheduled(Guid id, CancellationToken ct)
    {
        var pending = outgoing.FindIndex(m => m.Id == id);
        if (pending >= 0)
        {
            outgoing.RemoveAt(pending);
            return true;
        }
        await using var command = new NpgsqlCommand("delete from outbox where id = $1", connection, Transaction);
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Keeps a refused message and the reason where operators can read it, in the same transaction
    /// as the inbox record: refused once, kept, never retried.
    /// </summary>
    public void RecordRefusal(object? message, string code, string reason) =>
        refusals.Add(new Refusal(message is null ? "unknown" : types.TryNameOf(message.GetType()) ?? message.GetType().FullName!, message, code, reason));

    private Guid Enqueue(object message, string? destination, DateTimeOffset? dueAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = Guid.NewGuid();
        outgoing.Add(new OutboxMessage(id, message, destination, dueAt));
        return id;
    }

    public async Task<CommitResult> Commit(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        if (batch is not null)
        {
            throw new InvalidOperationException("A session of a batch commits with its batch.");
        }
        await using var commands = new NpgsqlBatch(connection, transaction);
        if (AddCommands(commands, clock.GetUtcNow()))
        {
            // A hint only: the relay also polls, since a notification is lost while it is disconnected.
            commands.BatchCommands.Add(Command($"select pg_notify('{OutboxChannel}', '')"));
        }

        try
        {
            if (commands.BatchCommands.Count > 0)
            {
                await commands.ExecuteNonQueryAsync(ct);
            }
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }
        }
        catch (PostgresException e) when (IsInboxConflict(e))
        {
            await Abandon(ct);
            return CommitResult.AlreadyConsumed;
        }
        catch (PostgresException e) when (IsStreamConflict(e))
        {
            await Abandon(ct);
            throw await Conflict(ct);
        }
        finished = true;
        return CommitResult.Committed;
    }

    internal static bool IsInboxConflict(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "inbox_pkey";

    internal static bool IsStreamConflict(PostgresException e) =>
        (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is "events_stream_version" or "streams_pkey")
        || (e.SqlState == PostgresErrorCodes.RaiseException && e.Hint == "platform_stream_conflict");

    /// <summary>Adds what this unit of work writes to <paramref name="commands"/>; true when it leaves messages for the relay.</summary>
    internal bool AddCommands(NpgsqlBatch commands, DateTimeOffset now)
    {
        if (incoming is not null)
        {
            // No "on conflict do nothing": in an implicit transaction a redelivery must fail the
            // whole batch, since nothing can be rolled back after it.
            commands.BatchCommands.Add(Command(
                "insert into inbox (message_id, consumer, processed_at) values ($1, $2, $3)",
                incoming.MessageId, incoming.Consumer, now));
        }

        var metadataJson = JsonSerializer.Serialize(metadata, Json.Options);
        foreach (var append in appends)
        {
            var newVersion = append.ExpectedVersion + append.Events.Count;
            commands.BatchCommands.Add(append.ExpectedVersion == 0
                ? Command("insert into streams (stream_id, stream_type, version, created_at, updated_at) values ($1, $2, $3, $4, $4)",
                    append.StreamId, append.StreamType, newVersion, now)
                : Command("select platform_advance_stream($1, $2, $3, $4)", append.StreamId, append.ExpectedVersion, newVersion, now));
            commands.BatchCommands.Add(EventsInsert(append, metadataJson, now));
        }

        foreach (var refusal in refusals)
        {
            commands.BatchCommands.Add(Command(
                "insert into refusals (message_id, consumer, message_type, body, code, reason, refused_at) values ($1, $2, $3, $4::jsonb, $5, $6, $7)",
                incoming?.MessageId, incoming?.Consumer, refusal.MessageType,
                refusal.Message is null ? null : JsonSerializer.Serialize(refusal.Message, refusal.Message.GetType(), Json.Options),
                refusal.Code, refusal.Reason, now));
        }

        var notify = false;
        foreach (var message in outgoing)
        {
            var due = message.DueAt ?? now;
            notify |= due <= now || message.DueAt is not null;
            commands.BatchCommands.Add(Command(
                "insert into outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at) values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)",
                message.Id, due, message.DueAt is not null, (object?)message.Destination ?? DBNull.Value, types.NameOf(message.Message.GetType()),
                JsonSerializer.Serialize(message.Message, message.Message.GetType(), Json.Options), metadataJson, now));
        }
        return notify;
    }

    /// <summary>The batch committed (or failed) this session's work.</summary>
    internal void Finish() => finished = true;

    private async Task Abandon(CancellationToken ct)
    {
        if (transaction is not null)
        {
            await transaction.RollbackAsync(ct);
        }
        finished = true;
    }

    /// <summary>
    /// Names the stream that moved on. PostgreSQL's error detail would say, but Npgsql withholds it
    /// (it may hold data), so the appended streams' versions are read again.
    /// </summary>
    private async Task<StreamConcurrencyException> Conflict(CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select stream_id, version from streams where stream_id = any($1)", connection);
        command.Parameters.Add(new() { Value = appends.Select(a => a.StreamId).ToArray() });
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                versions[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        var moved = appends.FirstOrDefault(a => versions.GetValueOrDefault(a.StreamId) != a.ExpectedVersion) ?? appends[0];
        return new StreamConcurrencyException(moved.StreamId, moved.ExpectedVersion, versions.GetValueOrDefault(moved.StreamId));
    }

    private NpgsqlBatchCommand EventsInsert(PendingAppend append, string metadataJson, DateTimeOffset now)
    {
        var count = append.Events.Count;
        var versions = new long[count];
        var typeNames = new string[count];
        var data = new string[count];
        for (var i = 0; i < count; i++)
        {
            var @event = append.Events[i];
            versions[i] = append.ExpectedVersion + i + 1;
            typeNames[i] = types.NameOf(@event.GetType());
            data[i] = JsonSerializer.Serialize(@event, @event.GetType(), Json.Options);
        }
        var command = new NpgsqlBatchCommand("""
            insert into events (stream_id, version, type, data, metadata, recorded_at)
            select $1, v, t, d::jsonb, $5::jsonb, $6 from unnest($2::bigint[], $3::text[], $4::text[]) as x(v, t, d)
            """);
        command.Parameters.Add(new() { Value = append.StreamId });
        command.Parameters.Add(new() { Value = versions });
        command.Parameters.Add(new() { Value = typeNames });
        command.Parameters.Add(new() { Value = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = metadataJson });
        command.Parameters.Add(new() { Value = now });
        return command;
    }

    internal static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }

    public ValueTask DisposeAsync() =>
        // In a batch, the connection and any transaction are the batch's.
        batch is null ? Release(connection, transaction, finished) : ValueTask.CompletedTask;

    /// <summary>Rolls back what was not committed, then returns the connection to the pool.</summary>
    internal static async ValueTask Release(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool finished)
    {
        if (transaction is not null)
        {
            if (!finished)
            {
                try
                {
                    await transaction.RollbackAsync();
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                    // The connection is already broken: the server has rolled the transaction back.
                }
            }
            await transaction.DisposeAsync();
        }
        await connection.DisposeAsync();
    }

    private sealed record PendingAppend(string StreamId, string StreamType, long ExpectedVersion, IReadOnlyList<object> Events);

    private sealed record Refusal(string MessageType, object? Message, string Code, string Reason);

    private sealed record OutboxMessage(Guid Id, object Message, string? Destination, DateTimeOffset? DueAt);
}
