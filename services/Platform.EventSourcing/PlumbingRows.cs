using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Platform.EventSourcing;

/// <summary>
/// The plumbing rows of a unit of work (inbox, outbox, refusals, the kind of each new stream), written
/// as one statement per table however many sessions a batch holds: in a batch of completed orders the
/// per-row statements cost more client CPU than the events themselves.
/// </summary>
/// <remarks>
/// The inbox insert has no "on conflict do nothing": a redelivery must fail the whole transaction, and
/// the primary key's violation is how the commit tells it (see <see cref="StoreTransaction"/>).
/// Queued after Marten's appends, so a new stream's row exists when its kind is set.
/// </remarks>
internal sealed class PlumbingRows
{
    private readonly List<Guid> inboxIds = [];
    private readonly List<string> inboxConsumers = [];
    private readonly List<DateTimeOffset> inboxTimes = [];

    private readonly List<string> streamIds = [];
    private readonly List<string> streamTypes = [];

    private readonly List<object?[]> refusals = [];

    private readonly List<Guid> outboxIds = [];
    private readonly List<DateTimeOffset> outboxDue = [];
    private readonly List<bool> outboxScheduled = [];
    private readonly List<string?> outboxDestinations = [];
    private readonly List<string> outboxTypes = [];
    private readonly List<string> outboxBodies = [];
    private readonly List<string> outboxHeaders = [];
    private readonly List<DateTimeOffset> outboxCreated = [];
    private readonly List<int> outboxMessages = [];

    private readonly List<OutboxEntry> immediate = [];

    private readonly List<Guid> cancelledIds = [];

    public void Inbox(Guid messageId, string consumer, DateTimeOffset at)
    {
        inboxIds.Add(messageId);
        inboxConsumers.Add(consumer);
        inboxTimes.Add(at);
    }

    public void NewStream(string streamId, string streamType)
    {
        streamIds.Add(streamId);
        streamTypes.Add(streamType);
    }

    public void Refusal(Guid? messageId, string? consumer, string messageType, string? body, string code, string reason, DateTimeOffset at) =>
        refusals.Add([messageId, consumer, messageType, body, code, reason, at]);

    public void Outbox(Guid id, DateTimeOffset due, bool scheduled, string? destination, string messageType, string body, string headers, DateTimeOffset at)
    {
        if (scheduled)
        {
            Row(id, due, scheduled: true, destination, messageType, body, headers, at, messages: 1);
        }
        else
        {
            immediate.Add(new OutboxEntry(id, due, destination, messageType, body, headers, at));
        }
    }

    public void CancelScheduled(Guid id) => cancelledIds.Add(id);

    private void Row(Guid id, DateTimeOffset due, bool scheduled, string? destination, string messageType, string body, string headers, DateTimeOffset at, int messages)
    {
        outboxIds.Add(id);
        outboxDue.Add(due);
        outboxScheduled.Add(scheduled);
        outboxDestinations.Add(destination);
        outboxTypes.Add(messageType);
        outboxBodies.Add(body);
        outboxHeaders.Add(headers);
        outboxCreated.Add(at);
        outboxMessages.Add(messages);
    }

    /// <summary>
    /// The immediate messages of the commit, in rows of up to <see cref="OutboxBatch.MessagesPerRow"/>:
    /// one message alone keeps a row of its own; more share one (<see cref="OutboxBatch"/>), so the
    /// insert, the relay's claim and its delete touch one row for a batch of completed orders instead
    /// of a hundred. Scheduled messages keep a row each: they are cancelled by id.
    /// </summary>
    private void ImmediateRows()
    {
        if (immediate.Count == 1)
        {
            var only = immediate[0];
            Row(only.Id, only.Due, scheduled: false, only.Destination, only.MessageType, only.Body, only.Headers, only.At, messages: 1);
            return;
        }
        foreach (var chunk in immediate.Chunk(OutboxBatch.MessagesPerRow))
        {
            Row(Guid.CreateVersion7(), chunk[0].Due, scheduled: false, null, OutboxBatch.MessageType, OutboxBatch.Write(chunk), "{}", chunk[0].At, chunk.Length);
        }
    }

    /// <summary>
    /// Names the new streams of a commit, which the same transaction inserted (so no other writer moves
    /// their rows between the look-up and the update).
    /// </summary>
    /// <remarks>
    /// One index probe per stream, whatever the planner knows of the table: joined as a set, it read the
    /// whole table while the table was young or small (no statistics yet, or a few hundred pages), 0.4 ms
    /// a batch in Order's pipeline.
    /// </remarks>
    internal static string StreamTypesSql(string streams) => $"""
        with named as (
            select found.row, n.type from unnest(?::text[], ?::text[]) as n(id, type),
                lateral (select ctid as row from {streams} where id = n.id limit 1) found)
        update {streams} s set type = named.type from named where s.ctid = named.row
        """;

    // The columns each table's rows are written in, whether one row or many.
    private const string InboxInsert = "insert into inbox (message_id, consumer, processed_at) ";
    private const string OutboxInsert = "insert into outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at, messages) ";

    public void Queue(StoreTransaction work)
    {
        // One row, the unit of work of a single message or request, goes as plain values: the unnest of
        // arrays cost a single unit of work 10-25 % of its throughput against bare Marten's (docs/benchmarks.md).
        if (inboxIds.Count == 1)
        {
            work.Sql(InboxInsert + "values (?, ?, ?)", inboxIds[0], inboxConsumers[0], inboxTimes[0]);
        }
        else if (inboxIds.Count > 1)
        {
            work.Sql(
                InboxInsert + "select * from unnest(?::uuid[], ?::text[], ?::timestamptz[])",
                inboxIds.ToArray(), inboxConsumers.ToArray(), inboxTimes.ToArray());
        }
        // Marten names a stream's type after a CLR aggregate; the platform's stream kinds are names.
        if (streamIds.Count == 1)
        {
            work.Sql($"update {work.Store.Streams} set type = ? where id = ?", streamTypes[0], streamIds[0]);
        }
        else if (streamIds.Count > 1)
        {
            work.Sql(StreamTypesSql(work.Store.Streams), streamIds.ToArray(), streamTypes.ToArray());
        }
        foreach (var refusal in refusals)
        {
            work.Sql(
                "insert into refusals (message_id, consumer, message_type, body, code, reason, refused_at) values (?, ?, ?, ?::jsonb, ?, ?, ?)",
                refusal);
        }
        if (immediate.Count > 0)
        {
            ImmediateRows();
        }
        if (outboxIds.Count == 1)
        {
            work.Sql(
                OutboxInsert + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                outboxIds[0], outboxDue[0], outboxScheduled[0], outboxDestinations[0], outboxTypes[0], outboxBodies[0], outboxHeaders[0], outboxCreated[0], outboxMessages[0]);
        }
        else if (outboxIds.Count > 1)
        {
            work.Sql(
                OutboxInsert +
                "select * " +
                "from unnest(?::uuid[], ?::timestamptz[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int[]) " +
                "as r(id, due_at, scheduled, destination, message_type, body, headers, created_at, messages)",
                outboxIds.ToArray(), outboxDue.ToArray(), outboxScheduled.ToArray(), outboxDestinations.ToArray(), outboxTypes.ToArray(),
                outboxBodies.ToArray(), outboxHeaders.ToArray(), outboxCreated.ToArray(), outboxMessages.ToArray());
        }
        // A row under a relay's lease is being sent: deleting it would not stop that.
        if (cancelledIds.Count == 1)
        {
            work.Sql("delete from outbox where id = ? and scheduled and (locked_until is null or locked_until <= now())", cancelledIds[0]);
        }
        else if (cancelledIds.Count > 1)
        {
            work.Sql("delete from outbox where id = any(?::uuid[]) and scheduled and (locked_until is null or locked_until <= now())", cancelledIds.ToArray());
        }
    }
}

/// <summary>One message of an outbox row: the row's own (one message) or one of a shared row's.</summary>
internal sealed record OutboxEntry(Guid Id, DateTimeOffset Due, string? Destination, string MessageType, string Body, string Headers, DateTimeOffset At);

/// <summary>
/// An outbox row that carries several immediate messages of one commit: its <c>message_type</c> says
/// so, <c>messages</c> counts them, and its body is their array, each with its own id, destination,
/// type, body and headers. The relay publishes each under its own id and deletes the row once the
/// broker has confirmed them all; what was not confirmed goes back in rows of its own (<see cref="OutboxRelay"/>).
/// </summary>
internal static class OutboxBatch
{
    /// <summary>The stored type of a shared row; no message type is named so (they are contract names).</summary>
    public const string MessageType = "outbox-batch";

    /// <summary>The most messages one row carries: a claim takes whole rows, so a row is a relay batch's share at most.</summary>
    public const int MessagesPerRow = 100;

    public static string Write(IReadOnlyList<OutboxEntry> messages)
    {
        var buffer = new ArrayBufferWriter<byte>(messages.Count * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("id", message.Id);
                writer.WriteString("destination", message.Destination);
                writer.WriteString("messageType", message.MessageType);
                // Both are JSON already, written by the platform's serializers; PostgreSQL checks them again as jsonb.
                writer.WritePropertyName("body");
                writer.WriteRawValue(message.Body, skipInputValidation: true);
                writer.WritePropertyName("headers");
                writer.WriteRawValue(message.Headers, skipInputValidation: true);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<OutboxEntry> Read(string json, DateTimeOffset due, DateTimeOffset at)
    {
        using var document = JsonDocument.Parse(json);
        var messages = new List<OutboxEntry>(document.RootElement.GetArrayLength());
        foreach (var message in document.RootElement.EnumerateArray())
        {
            messages.Add(new OutboxEntry(message.GetProperty("id").GetGuid(), due,
                message.GetProperty("destination").GetString(), message.GetProperty("messageType").GetString()!,
                message.GetProperty("body").GetRawText(), message.GetProperty("headers").GetRawText(), at));
        }
        return messages;
    }
}
