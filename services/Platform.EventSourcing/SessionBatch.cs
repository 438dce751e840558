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
/// Units of work for many consumed messages at once, one session each, sharing one connection:
/// their streams load in one query and everything they write commits in one round trip. A
/// message costs the database a share of three statements instead of three of its own. All or
/// nothing: when the commit cannot take the whole batch, nothing is written and the caller
/// handles the messages one by one.
/// </summary>
public sealed class SessionBatch : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly MessageTypeRegistry types;
    private readonly TimeProvider clock;
    private readonly List<Session> sessions = [];
    private readonly Dictionary<string, IReadOnlyList<StoredEvent>> preloaded = new(StringComparer.Ordinal);
    private NpgsqlTransaction? transaction;
    private bool finished;

    internal SessionBatch(NpgsqlConnection connection, MessageTypeRegistry types, TimeProvider clock)
    {
        this.connection = connection;
        this.types = types;
        this.clock = clock;
    }

    /// <summary>One transaction for every session of the batch that asks for one.</summary>
    internal NpgsqlTransaction Transaction => transaction ??= connection.BeginTransaction();

    /// <summary>The session of one consumed message.</summary>
    public Session Add(IncomingMessage incoming, MessageMetadata metadata)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        var session = new Session(connection, types, clock, incoming, metadata, this);
        sessions.Add(session);
        return session;
    }

    /// <summary>Reads these streams in one query; the sessions' loads of them then cost nothing.</summary>
    public async Task Preload(IEnumerable<string> streamIds, CancellationToken ct)
    {
        var wanted = streamIds.Distinct(StringComparer.Ordinal).Where(id => !preloaded.ContainsKey(id)).ToArray();
        if (wanted.Length == 0)
        {
            return;
        }
        var read = await StreamReader.ReadMany(connection, transaction, types, wanted, ct);
        foreach (var id in wanted)
        {
            preloaded[id] = read.TryGetValue(id, out var events) ? events : [];
        }
    }

    internal IReadOnlyList<StoredEvent>? Preloaded(string streamId) => preloaded.GetValueOrDefault(streamId);

    public async Task<BatchCommitResult> Commit(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        finished = true;
        var now = clock.GetUtcNow();
        await using var commands = new NpgsqlBatch(connection, transaction);
        var notify = false;
        foreach (var session in sessions)
        {
            notify |= session.AddCommands(commands, now);
            session.Finish();
        }
        if (notify)
        {
            commands.BatchCommands.Add(Session.Command($"select pg_notify('{Session.OutboxChannel}', '')"));
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
        catch (PostgresException e) when (Session.IsInboxConflict(e) || Session.IsStreamConflict(e))
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(ct);
            }
            return BatchCommitResult.HandleOneByOne;
        }
        return BatchCommitResult.Committed;
    }

    public ValueTask DisposeAsync() => Session.Release(connection, transaction, finished);
}
