using JasperFx.Events;
using Npgsql;

namespace Platform.EventSourcing;

/// <summary>What a batch's commit did.</summary>
public enum BatchCommitResult
{
    Committed,

    /// <summary>
    /// Nothing was written: a message of the batch was consumed before, or two of its sessions (or
    /// another writer) appended to the same stream. Each message must be handled again on its own,
    /// where the plain session tells which case it was.
    /// </summary>
    HandleOneByOne,
}

/// <summary>
/// Units of work for many consumed messages at once, one session each, sharing one transaction and
/// one Marten session: their streams load in one round trip and everything they write commits in
/// one batch. All or nothing: when the commit cannot take the whole batch, nothing is written and
/// the caller handles the messages one by one.
/// </summary>
public sealed class SessionBatch : IAsyncDisposable
{
    private readonly StoreTransaction work;
    private readonly List<Session> sessions = [];
    private readonly Dictionary<string, IReadOnlyList<IEvent>> preloaded = new(StringComparer.Ordinal);
    private bool finished;

    internal SessionBatch(StoreTransaction work)
    {
        this.work = work;
    }

    /// <summary>The session of one consumed message.</summary>
    public Session Add(IncomingMessage incoming, MessageMetadata metadata)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        var session = new Session(work, incoming, metadata, this);
        sessions.Add(session);
        return session;
    }

    /// <summary>
    /// Reads these streams in at most two round trips; the sessions' loads of them then cost nothing.
    /// A batch's streams are mostly new (a completed order opens its files), so which of them exist is
    /// asked first, in one statement, and only those are fetched.
    /// </summary>
    public async Task Preload(IEnumerable<string> streamIds, CancellationToken ct)
    {
        var wanted = streamIds.Distinct(StringComparer.Ordinal).Where(id => !preloaded.ContainsKey(id)).ToArray();
        if (wanted.Length == 0)
        {
            return;
        }
        // Marten creates its tables on first use; this statement is not Marten's, so it asks first (a
        // lookup once they exist).
        await work.Marten.Database.EnsureStorageExistsAsync(typeof(IEvent), ct);
        var existing = new List<string>(wanted.Length);
        await using (var exists = new NpgsqlCommand(ExistingStreamsSql(work.Store.Streams), work.Connection, work.Transaction))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = wanted });
            await using var reader = await exists.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                existing.Add(reader.GetString(0));
            }
        }
        foreach (var id in wanted)
        {
            preloaded[id] = [];
        }
        if (existing.Count == 0)
        {
            return;
        }
        var query = work.Marten.CreateBatchQuery();
        var reads = existing.Select(id => (Id: id, Events: query.Events.FetchStream(id))).ToList();
        await query.Execute(ct);
        foreach (var (id, events) in reads)
        {
            preloaded[id] = await events;
        }
    }

    /// <summary>Which of the ids ($1) have a stream: one index probe each (see <see cref="PlumbingRows.StreamTypesSql"/>).</summary>
    internal static string ExistingStreamsSql(string streams) =>
        $"select found.id from unnest($1::text[]) as n(id), lateral (select id from {streams} where id = n.id limit 1) found";

    internal IReadOnlyList<IEvent>? Preloaded(string streamId) => preloaded.GetValueOrDefault(streamId);

    public async Task<BatchCommitResult> Commit(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        finished = true;
        var appends = sessions.SelectMany(s => s.Appends).ToList();
        if (appends.GroupBy(a => a.StreamId, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            // Two messages of the batch decided on the same version of one stream: one of them must
            // see the other's events first.
            await work.Rollback(ct);
            return BatchCommitResult.HandleOneByOne;
        }
        var now = work.Now;
        var notify = false;
        var rows = new PlumbingRows();
        foreach (var session in sessions)
        {
            notify |= session.Enlist(now, rows);
        }
        if (notify)
        {
            work.WakeRelay();
        }
        rows.Queue(work);
        var (outcome, _) = await work.Commit(appends.ToDictionary(a => a.StreamId, a => a.ExpectedVersion, StringComparer.Ordinal), ct);
        return outcome == CommitOutcome.Committed ? BatchCommitResult.Committed : BatchCommitResult.HandleOneByOne;
    }

    public ValueTask DisposeAsync() => work.DisposeAsync();
}
