using System.Text.Json;
using JasperFx.Events;
using Npgsql;

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
/// consumed message, all committed in one PostgreSQL transaction or not at all. Streams are
/// Marten's; the inbox, outbox and refusals are the plumbing's tables, written in Marten's batch.
/// </summary>
public sealed class Session : IAsyncDisposable
{
    private readonly StoreTransaction work;
    private readonly IncomingMessage? incoming;
    private readonly List<PendingAppend> appends = [];
    private readonly List<OutboxMessage> outgoing = [];
    private readonly List<Refusal> refusals = [];
    private readonly List<Guid> cancelled = [];
    private readonly SessionBatch? batch;

    internal Session(StoreTransaction work, IncomingMessage? incoming, MessageMetadata metadata, SessionBatch? batch)
    {
        this.work = work;
        this.incoming = incoming;
        Metadata = metadata;
        this.batch = batch;
    }

    /// <summary>
    /// A read model's row written with the commit: the rows of every session of a batch go in one
    /// statement per table, so a row that nothing in this unit of work reads back costs neither a round
    /// trip nor a statement of its own. Values in the order of the upsert's columns.
    /// </summary>
    public void Upsert(BatchedUpsert upsert, params object?[] values) => work.Upserts.Add(upsert, values);

    /// <summary>
    /// A statement (<c>?</c> for each value) sent with the commit, in the same batch as the events: a write
    /// that nothing in this unit of work reads back, of a shape no <see cref="BatchedUpsert"/> writes (other
    /// column types, another conflict rule), costs no round trip of its own. It must return no rows.
    /// </summary>
    public void Queue(string sql, params object?[] values) => work.Sql(sql, values);

    /// <summary>
    /// Takes <paramref name="key"/> in a table that holds an invariant across streams (a claim id on one order line
    /// only, a provider's free slot), with the commit and at no round trip of its own: <paramref name="sql"/> inserts it
    /// without <c>on conflict</c>, or calls a procedure that raises <see cref="KeyTakenSqlState"/> naming the table. When
    /// another unit of work took the key since this one read the table, the commit fails with
    /// <see cref="Pipeline.InvariantConflictException"/>, and the decision is made again from a fresh load.
    /// </summary>
    public void Take(string table, string key, string sql, params object?[] values) => work.Take(table, key, sql, values);

    /// <summary>
    /// The SQLSTATE a statement queued with <see cref="Take"/> raises (<c>raise exception using errcode = …, table = …</c>)
    /// when what it takes is gone and no unique index says so by itself.
    /// </summary>
    public const string KeyTakenSqlState = "PT409";

    /// <summary>The session's connection and transaction, for read models written in the same unit of work.</summary>
    public NpgsqlConnection Connection => work.Connection;

    /// <summary>
    /// The unit of work's transaction: what is written or locked with it commits or rolls back with
    /// the events. Reads see committed data, as in any READ COMMITTED transaction; the expected
    /// version catches any change to a loaded stream since.
    /// </summary>
    public NpgsqlTransaction Transaction => work.Transaction;

    public MessageMetadata Metadata { get; }

    internal IReadOnlyList<PendingAppend> Appends => appends;

    /// <summary>True when the incoming message was consumed before: the caller can stop early.</summary>
    public async Task<bool> AlreadyConsumed(CancellationToken ct)
    {
        if (incoming is null || batch is not null)
        {
            // In a batch, the batch's commit finds a redelivery instead, at no extra round trip.
            return false;
        }
        await using var command = new NpgsqlCommand("select exists (select 1 from inbox where message_id = $1 and consumer = $2)", work.Connection, work.IsOpen ? work.Transaction : null);
        command.Parameters.Add(new() { Value = incoming.MessageId });
        command.Parameters.Add(new() { Value = incoming.Consumer });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<LoadedStream<TState>> Load<TState>(string streamId, string streamType, TState initial, Func<TState, object, TState> evolve, CancellationToken ct)
    {
        var events = await Events(streamId, ct);
        var state = initial;
        foreach (var stored in events)
        {
            state = evolve(state, stored.Data);
        }
        return new LoadedStream<TState>(streamId, streamType, events.Count == 0 ? 0 : events[^1].Version, state);
    }

    /// <summary>
    /// Loads a stream that grows without bound from its inline snapshot: one query reads the
    /// snapshot and the stream's version, and the snapshot is kept current by every append.
    /// </summary>
    public async Task<LoadedStream<TState>> Load<TState>(string streamId, string streamType, IStreamSnapshot<TState> snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var stream = await work.Marten.Events.FetchForWriting<Snapshot<TState>>(streamId, ct);
        if (stream.Aggregate is { } kept)
        {
            return new LoadedStream<TState>(streamId, streamType, stream.CurrentVersion ?? 0, kept.State);
        }
        // Events without a snapshot (the snapshot was registered after the stream began, or not
        // rebuilt): fold them, never take the initial state at the stream's real version.
        return (stream.CurrentVersion ?? 0) == 0
            ? new LoadedStream<TState>(streamId, streamType, 0, snapshot.Initial)
            : await Load(streamId, streamType, snapshot.Initial, snapshot.Evolve, ct);
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, CancellationToken ct) =>
        [.. (await Events(streamId, ct)).Select(StoredEvents.From)];

    private async Task<IReadOnlyList<IEvent>> Events(string streamId, CancellationToken ct) =>
        batch?.Preloaded(streamId) ?? await work.Marten.Events.FetchStreamAsync(streamId, token: ct);

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
        foreach (var @event in list)
        {
            // Marten would store an unregistered type under a name derived from the class, which a
            // rename orphans: every stored event has a name given here.
            work.Store.Types.NameOf(@event.GetType());
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
    /// returned cancels it, and is the MessageId it will carry: <paramref name="id"/> when the caller names
    /// it (a deadline that only ever exists once for its subject, cancelled later by an id made from that
    /// subject), else a new one.
    /// </summary>
    public Guid Schedule(DateTimeOffset dueAt, object message, string? queue = null, Guid? id = null) => Enqueue(message, queue, dueAt, id);

    /// <summary>
    /// Removes, with the commit, a scheduled message not yet sent. One that a relay is sending now, has sent,
    /// or never existed is left alone (it is not waited for): a deadline's consumer checks it against the
    /// state on arrival anyway, so a cancellation saves its firing and its row, and decides nothing.
    /// </summary>
    public void CancelScheduled(Guid id)
    {
        var pending = outgoing.FindIndex(m => m.Id == id);
        if (pending >= 0)
        {
            outgoing.RemoveAt(pending);
            return;
        }
        cancelled.Add(id);
    }

    /// <summary>
    /// Keeps a refused message and the reason where operators can read it, in the same transaction
    /// as the inbox record: refused once, kept, never retried.
    /// </summary>
    public void RecordRefusal(object? message, string code, string reason) =>
        refusals.Add(new Refusal(message is null ? "unknown" : work.Store.Types.TryNameOf(message.GetType()) ?? message.GetType().FullName!, message, code, reason));

    private Guid Enqueue(object message, string? destination, DateTimeOffset? dueAt, Guid? id = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messageId = id ?? Guid.NewGuid();
        outgoing.Add(new OutboxMessage(messageId, message, destination, dueAt));
        return messageId;
    }

    public async Task<CommitResult> Commit(CancellationToken ct)
    {
        if (batch is not null)
        {
            throw new InvalidOperationException("A session of a batch commits with its batch.");
        }
        var rows = new PlumbingRows();
        if (Enlist(work.Now, rows))
        {
            work.WakeRelay();
        }
        rows.Queue(work);
        var (outcome, conflict) = await work.Commit(appends.ToDictionary(a => a.StreamId, a => a.ExpectedVersion, StringComparer.Ordinal), ct);
        return outcome switch
        {
            CommitOutcome.Committed => CommitResult.Committed,
            CommitOutcome.AlreadyConsumed => CommitResult.AlreadyConsumed,
            // Marten writes the events before the inbox row, so a redelivery racing its first
            // delivery loses on the stream: when the message is in the inbox now, it was that.
            _ when await AlreadyConsumed(ct) => CommitResult.AlreadyConsumed,
            _ => throw conflict!,
        };
    }

    /// <summary>
    /// Hands what this session writes to the unit of work: its events to Marten, its plumbing rows to
    /// <paramref name="rows"/>, which writes those of every session of a batch in a few statements.
    /// True when it leaves messages for the relay.
    /// </summary>
    internal bool Enlist(DateTimeOffset now, PlumbingRows rows)
    {
        if (incoming is not null)
        {
            rows.Inbox(incoming.MessageId, incoming.Consumer, now);
        }

        foreach (var append in appends)
        {
            var events = append.Events.Select(e => EventMetadata.Wrap(work.Marten.Events.BuildEvent(e), Metadata, work.Id)).ToArray();
            work.Marten.Events.Append(append.StreamId, append.ExpectedVersion + events.Length, events);
            if (append.ExpectedVersion == 0)
            {
                rows.NewStream(append.StreamId, append.StreamType);
            }
        }

        foreach (var refusal in refusals)
        {
            rows.Refusal(incoming?.MessageId, incoming?.Consumer, refusal.MessageType,
                refusal.Message is null ? null : JsonSerializer.Serialize(refusal.Message, refusal.Message.GetType(), Json.Options),
                refusal.Code, refusal.Reason, now);
        }

        foreach (var id in cancelled)
        {
            rows.CancelScheduled(id);
        }

        var notify = false;
        var metadataJson = outgoing.Count == 0 ? null : JsonSerializer.Serialize(Metadata, Json.Options);
        foreach (var message in outgoing)
        {
            var due = message.DueAt ?? now;
            notify |= due <= now || message.DueAt is not null;
            rows.Outbox(message.Id, due, message.DueAt is not null, message.Destination, work.Store.Types.NameOf(message.Message.GetType()),
                WireJson.Serialize(message.Message), metadataJson!, now);
        }
        return notify;
    }

    public ValueTask DisposeAsync() =>
        // In a batch, the unit of work is the batch's.
        batch is null ? work.DisposeAsync() : ValueTask.CompletedTask;

    internal sealed record PendingAppend(string StreamId, string StreamType, long ExpectedVersion, IReadOnlyList<object> Events);

    private sealed record Refusal(string MessageType, object? Message, string Code, string Reason);

    private sealed record OutboxMessage(Guid Id, object Message, string? Destination, DateTimeOffset? DueAt);
}
