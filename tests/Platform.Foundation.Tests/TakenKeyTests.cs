using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Platform.TestHost.Messages;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>
/// A key of a table that holds an invariant across streams, taken with the commit (<see cref="Session.Take"/>): the
/// unit of work that takes it second loses as on a moved stream, and writes nothing.
/// </summary>
public sealed class TakenKeyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static MessageMetadata Metadata(Guid messageId) => new(messageId, Guid.NewGuid(), null, null, null);

    private static async Task<TestDatabase> Database()
    {
        var database = await TestDatabase.Create();
        await database.Scalar<object>("create table taken_keys (key text primary key, stream text not null)");
        return database;
    }

    private static void TakeAndAppend(Session session, string key, string streamId)
    {
        session.Take("taken_keys", key, "insert into taken_keys (key, stream) values (?, ?)", key, streamId);
        session.Append(streamId, "test", 0, [new TestMessageApplied(Guid.Empty, 1)]);
    }

    [Fact]
    public async Task A_key_taken_first_by_another_unit_of_work_fails_the_commit_as_an_invariant_conflict_and_nothing_is_written()
    {
        await using var database = await Database();
        var store = database.Store();
        await using var second = await store.OpenSession(null, Metadata(Guid.NewGuid()), None);
        TakeAndAppend(second, "claim-1", "line-b");
        await using (var first = await store.OpenSession(null, Metadata(Guid.NewGuid()), None))
        {
            TakeAndAppend(first, "claim-1", "line-a");
            Assert.Equal(CommitResult.Committed, await first.Commit(None));
        }

        var conflict = await Assert.ThrowsAsync<InvariantConflictException>(() => second.Commit(None));
        Assert.Equal(("taken_keys", "claim-1"), (conflict.Table, conflict.Key));
        Assert.Equal("line-a", await database.Scalar<string>("select stream from taken_keys where key = 'claim-1'"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_streams where id = 'line-b'"));
    }

    [Fact]
    public async Task A_redelivered_message_whose_first_delivery_took_the_key_is_consumed_once_not_a_conflict()
    {
        await using var database = await Database();
        var store = database.Store();
        var message = new IncomingMessage(Guid.NewGuid(), "taking");
        await using var redelivery = await store.OpenSession(message, Metadata(message.MessageId), None);
        TakeAndAppend(redelivery, "claim-2", "line-c2");
        await using (var delivery = await store.OpenSession(message, Metadata(message.MessageId), None))
        {
            TakeAndAppend(delivery, "claim-2", "line-c");
            Assert.Equal(CommitResult.Committed, await delivery.Commit(None));
        }

        Assert.Equal(CommitResult.AlreadyConsumed, await redelivery.Commit(None));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_streams where id = 'line-c2'"));
    }

    [Fact]
    public async Task A_batch_holding_a_key_taken_first_writes_nothing_and_asks_for_one_by_one()
    {
        await using var database = await Database();
        var store = database.Store();
        await using (var earlier = await store.OpenSession(null, Metadata(Guid.NewGuid()), None))
        {
            TakeAndAppend(earlier, "claim-3", "line-d");
            await earlier.Commit(None);
        }

        await using (var batch = await store.OpenBatch(None))
        {
            var fresh = Guid.NewGuid();
            TakeAndAppend(batch.Add(new IncomingMessage(fresh, "batched"), Metadata(fresh)), "claim-4", "line-e");
            var late = Guid.NewGuid();
            TakeAndAppend(batch.Add(new IncomingMessage(late, "batched"), Metadata(late)), "claim-3", "line-f");
            Assert.Equal(BatchCommitResult.HandleOneByOne, await batch.Commit(None));
        }

        Assert.Equal(1L, await database.Scalar<long>("select count(*) from taken_keys"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_streams where id in ('line-e', 'line-f')"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from inbox"));
    }
}
