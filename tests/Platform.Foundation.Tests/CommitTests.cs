using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.EventSourcing;
using Platform.TestHost.Messages;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>Where a unit of work's commit is sent, read from what Npgsql says it executes.</summary>
public sealed class CommitTests
{
    private const string Stream = "provider-like";
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly StreamSnapshot<Folded, TestMessageApplied> Snapshot = new(Folded.Empty, Folded.Evolve);

    [Fact]
    public async Task A_unit_of_work_commits_as_the_last_statement_of_the_batch_that_writes_it_after_its_inline_snapshot()
    {
        await using var database = await TestDatabase.Create();
        var log = new NpgsqlLog();
        await using var dataSource = Logged(database, log);
        using var store = new EventStore(dataSource, TestDatabases.Types(), TimeProvider.System, [Snapshot]);
        await store.ApplySchema(Ct);
        await using (var first = await store.OpenSession(null, NoMetadata, Ct))
        {
            first.Append(Stream, "test", 0, [new TestMessageApplied(Guid.Empty, 1)]);
            await first.Commit(Ct);
        }
        log.Clear();

        await using (var session = await store.OpenSession(null, NoMetadata, Ct))
        {
            var loaded = await session.Load(Stream, "test", Snapshot, Ct);
            session.Append(loaded, [new TestMessageApplied(Guid.Empty, 2)]);
            session.Publish(new TestMessage(Guid.Empty, 2));
            await session.Commit(Ct);
        }

        var batch = log.Batches[^1];
        Assert.Equal("commit", batch[^1]);
        Assert.Contains(batch[..^1], statement => statement.Contains("mt_doc_snapshotfolded", StringComparison.Ordinal));
        Assert.Contains(batch[..^1], statement => statement.Contains("outbox", StringComparison.Ordinal));
        Assert.Equal(0, log.TransactionsCommitted);
        Assert.Equal(Folded.Of(2), (await LoadSnapshotted(store)).State);
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from outbox"));
    }

    [Fact]
    public async Task A_unit_of_work_that_gives_Marten_nothing_to_write_still_commits_what_it_wrote_itself()
    {
        await using var database = await TestDatabase.Create();
        var log = new NpgsqlLog();
        await using var dataSource = Logged(database, log);
        using var store = new EventStore(dataSource, TestDatabases.Types(), TimeProvider.System);
        await store.ApplySchema(Ct);
        await database.Scalar<int>("create table written (id int primary key); select 1");

        await using (var session = await store.OpenSession(null, NoMetadata, Ct))
        {
            await using var insert = new NpgsqlCommand("insert into written values (1)", session.Connection, session.Transaction);
            await insert.ExecuteNonQueryAsync(Ct);
            await session.Commit(Ct);
        }

        Assert.Equal(1, log.TransactionsCommitted);
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from written"));
    }

    private static NpgsqlDataSource Logged(TestDatabase database, NpgsqlLog log)
    {
        var builder = new NpgsqlDataSourceBuilder(TestDatabase.Settings.ConnectionString(database.Name));
        builder.UseLoggerFactory(log);
        return builder.Build();
    }

    private static async Task<LoadedStream<Folded>> LoadSnapshotted(EventStore store)
    {
        await using var session = await store.OpenSession(null, NoMetadata, Ct);
        return await session.Load(Stream, "test", Snapshot, Ct);
    }

    /// <summary>The batches Npgsql executes (each statement's text, in order) and the transactions it commits itself.</summary>
    private sealed class NpgsqlLog : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<string[]> batches = new();
        private int committed;

        public IReadOnlyList<string[]> Batches => [.. batches];

        public int TransactionsCommitted => Volatile.Read(ref committed);

        public void Clear()
        {
            batches.Clear();
            Interlocked.Exchange(ref committed, 0);
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == NpgsqlEventId.CommittedTransaction)
            {
                Interlocked.Increment(ref committed);
            }
            else if (eventId.Id == NpgsqlEventId.ExecutingCommand
                && state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "BatchCommands").Value is string[] statements)
            {
                batches.Enqueue([.. statements.Select(s => s.Trim())]);
            }
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
