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
        outboxIds.Add(id);
        outboxDue.Add(due);
        outboxScheduled.Add(scheduled);
        outboxDestinations.Add(destination);
        outboxTypes.Add(messageType);
        outboxBodies.Add(body);
        outboxHeaders.Add(headers);
        outboxCreated.Add(at);
    }

    public void Queue(StoreTransaction work)
    {
        if (inboxIds.Count > 0)
        {
            work.Sql(
                "insert into inbox (message_id, consumer, processed_at) select * from unnest(?::uuid[], ?::text[], ?::timestamptz[])",
                inboxIds.ToArray(), inboxConsumers.ToArray(), inboxTimes.ToArray());
        }
        if (streamIds.Count > 0)
        {
            // Marten names a stream's type after a CLR aggregate; the platform's stream kinds are names.
            work.Sql(
                $"update {work.Store.Streams} s set type = n.type from unnest(?::text[], ?::text[]) as n(id, type) where s.id = n.id",
                streamIds.ToArray(), streamTypes.ToArray());
        }
        foreach (var refusal in refusals)
        {
            work.Sql(
                "insert into refusals (message_id, consumer, message_type, body, code, reason, refused_at) values (?, ?, ?, ?::jsonb, ?, ?, ?)",
                refusal);
        }
        if (outboxIds.Count > 0)
        {
            work.Sql(
                "insert into outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at) " +
                "select id, due_at, scheduled, destination, message_type, body::jsonb, headers::jsonb, created_at " +
                "from unnest(?::uuid[], ?::timestamptz[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) " +
                "as r(id, due_at, scheduled, destination, message_type, body, headers, created_at)",
                outboxIds.ToArray(), outboxDue.ToArray(), outboxScheduled.ToArray(), outboxDestinations.ToArray(), outboxTypes.ToArray(),
                outboxBodies.ToArray(), outboxHeaders.ToArray(), outboxCreated.ToArray());
        }
    }
}
