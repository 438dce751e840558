using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using Platform.EventSourcing.Pipeline;

namespace Platform.EventSourcing;

/// <summary>
/// One PostgreSQL transaction shared by Marten and the plumbing: Marten's session joins it, the
/// plumbing's rows ride in Marten's batch (<c>QueueSqlCommand</c>), and read models written on
/// <see cref="Connection"/> with <see cref="Transaction"/> commit or roll back with the events.
/// </summary>
internal sealed class StoreTransaction : IAsyncDisposable
{
    private bool finished;
    private readonly CommitInBatch commitInBatch = new();

    private StoreTransaction(EventStore store, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Store = store;
        Connection = connection;
        Transaction = transaction;
        var options = SessionOptions.ForTransaction(transaction);
        options.Listeners.Add(commitInBatch);
        Marten = store.Marten.LightweightSession(options);
    }

    public EventStore Store { get; }
    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }
    public IDocumentSession Marten { get; }

    /// <summary>Every event this unit of work appends carries it: see <see cref="EventMetadata.UnitOfWork"/>.</summary>
    public Guid Id { get; } = Guid.NewGuid();

    public static async Task<StoreTransaction> Open(EventStore store, CancellationToken ct)
    {
        var connection = await store.OpenRetry.ExecuteAsync(static (source, token) => source.OpenConnectionAsync(token), store.DataSource, ct);
        try
        {
            // Npgsql sends BEGIN with the first statement: opening costs no round trip.
            var transaction = await connection.BeginTransactionAsync(ct);
            return new StoreTransaction(store, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public DateTimeOffset Now => Store.Clock.GetUtcNow();

    /// <summary>False once committed or rolled back.</summary>
    public bool IsOpen => !finished;

    public void Sql(string sql, params object?[] values) =>
        Marten.QueueSqlCommand(sql, values.Select(value => value ?? DBNull.Value).ToArray());

    private readonly Dictionary<string, List<string>> taken = new(StringComparer.Ordinal);

    /// <summary>A write to a table that holds an invariant across streams, queued like <see cref="Sql"/>: see <see cref="Session.Take"/>.</summary>
    public void Take(string table, string key, string sql, params object?[] values)
    {
        if (!taken.TryGetValue(table, out var keys))
        {
            taken[table] = keys = [];
        }
        keys.Add(key);
        Sql(sql, values);
    }

    /// <summary>Rows for read models, written with the commit as one statement per table for every unit of work of the transaction.</summary>
    public BatchedUpserts Upserts { get; } = new();

    private bool wakeRelay;

    /// <summary>Wakes this process's relay once the commit has ended (<see cref="OutboxWakeups"/>); a hint only, since the relay also polls.</summary>
    public void WakeRelay() => wakeRelay = true;

    /// <summary>Writes what Marten holds and the queued rows, and commits; says which conflict stopped it, if one did.</summary>
    /// <param name="expectedVersions">Each appended stream and the version its append expects.</param>
    public async Task<(CommitOutcome Outcome, Exception? Conflict)> Commit(
        IReadOnlyDictionary<string, long> expectedVersions, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        try
        {
            Upserts.Queue(this);
            await Marten.SaveChangesAsync(ct);
            if (!commitInBatch.Queued)
            {
                // Marten had nothing to write, so sent no batch to carry the commit.
                await Transaction.CommitAsync(ct);
            }
            finished = true;
            if (wakeRelay)
            {
                OutboxWakeups.Wake(Store.OutboxKey);
            }
            return (CommitOutcome.Committed, null);
        }
        catch (Exception e) when (Classify(e) is { } classified)
        {
            await Rollback(ct);
            return classified.Outcome switch
            {
                CommitOutcome.StreamMoved => (classified.Outcome, await Conflict(expectedVersions, ct)),
                CommitOutcome.KeyTaken => (classified.Outcome, new InvariantConflictException(classified.Table!, string.Join(", ", taken[classified.Table!]))),
                _ => (classified.Outcome, null),
            };
        }
    }

    public async Task Rollback(CancellationToken ct)
    {
        if (!finished)
        {
            finished = true;
            await Transaction.RollbackAsync(ct);
        }
    }

    private (CommitOutcome Outcome, string? Table)? Classify(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case ConcurrencyException or ExistingStreamIdCollisionException or global::Marten.Exceptions.ExistingStreamIdCollisionException:
                    return (CommitOutcome.StreamMoved, null);
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "inbox_pkey" }:
                    return (CommitOutcome.AlreadyConsumed, null);
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "mt_streams" or "mt_events" }:
                    return (CommitOutcome.StreamMoved, null);
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or Session.KeyTakenSqlState, TableName: { } table } when taken.ContainsKey(table):
                    return (CommitOutcome.KeyTaken, table);
            }
        }
        return null;
    }

    /// <summary>Names the stream that moved on: the appended streams' versions are read again.</summary>
    private async Task<StreamConcurrencyException> Conflict(IReadOnlyDictionary<string, long> expected, CancellationToken ct)
    {
        var appendedStreams = expected.Keys.ToArray();
        await using var command = new NpgsqlCommand($"select id, version from {Store.Streams} where id = any($1)", Connection);
        command.Parameters.Add(new() { Value = appendedStreams });
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                versions[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        var moved = appendedStreams.FirstOrDefault(id => versions.GetValueOrDefault(id) != expected[id]) ?? appendedStreams.FirstOrDefault() ?? "(none)";
        return new StreamConcurrencyException(moved, expected.GetValueOrDefault(moved), versions.GetValueOrDefault(moved));
    }

    public async ValueTask DisposeAsync()
    {
        if (!finished)
        {
            try
            {
                await Transaction.RollbackAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection is already broken: the server has rolled the transaction back.
            }
        }
        await Marten.DisposeAsync();
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

/// <summary>
/// Ends Marten's batch with <c>commit</c>, so the unit of work commits in the round trip that writes it, not in one of
/// its own: every lock the batch takes (a provider's row, a claim's index entry) is held one round trip less. Marten
/// calls it after its inline projections have queued their writes, so the commit is the batch's last statement. Every
/// check that can refuse the commit is the server's (the quick append's expected version, unique indexes, the raises
/// of <see cref="Session.Take"/>'s procedures): a statement that fails makes PostgreSQL skip the rest of the batch,
/// the commit with it, and the transaction is rolled back as before.
/// </summary>
internal sealed class CommitInBatch : DocumentSessionListenerBase
{
    public bool Queued { get; private set; }

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        session.QueueSqlCommand("commit");
        Queued = true;
        return Task.CompletedTask;
    }
}

/// <summary>What a unit of work's commit did.</summary>
internal enum CommitOutcome
{
    Committed,
    AlreadyConsumed,
    StreamMoved,
    /// <summary>A key taken with <see cref="StoreTransaction.Take"/> was taken by another unit of work first.</summary>
    KeyTaken,
}
