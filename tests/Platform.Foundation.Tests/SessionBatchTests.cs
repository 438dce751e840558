using Platform.EventSourcing;
using Platform.TestHost.Messages;
using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class SessionBatchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static MessageMetadata Metadata(Guid messageId) => new(messageId, Guid.NewGuid(), null, null, null);

    private static async Task<(Session Session, Guid MessageId)> Apply(SessionBatch batch, string streamId, int number, Guid? messageId = null)
    {
        var id = messageId ?? Guid.NewGuid();
        var session = batch.Add(new IncomingMessage(id, "batched"), Metadata(id));
        var stream = await session.Load(streamId, "test", 0, (count, _) => count + 1, None);
        session.Append(stream, [new TestMessageApplied(Guid.Empty, number)]);
        session.Publish(new TestMessage(Guid.Empty, number));
        return (session, id);
    }

    [Fact]
    public async Task A_batch_loads_its_streams_in_one_query_and_commits_every_session_at_once_with_each_message_in_the_inbox()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        await using (var earlier = await store.OpenSession(null, Metadata(Guid.NewGuid()), None))
        {
            earlier.Append("stream-2", "test", 0, [new TestMessageApplied(Guid.Empty, 0)]);
            await earlier.Commit(None);
        }

        var ids = new List<Guid>();
        await using (var batch = await store.OpenBatch(None))
        {
            await batch.Preload(["stream-1", "stream-2", "stream-3"], None);
            var preloadCounts = new List<long>();
            for (var i = 1; i <= 3; i++)
            {
                var (session, id) = await Apply(batch, $"stream-{i}", i);
                ids.Add(id);
                preloadCounts.Add((await session.ReadStream($"stream-{i}", None)).Count);
            }
            Assert.Equal([0L, 1L, 0L], preloadCounts);
            Assert.Equal(BatchCommitResult.Committed, await batch.Commit(None));
        }

        Assert.Equal(1L, await database.Scalar<long>("select version from mt_streams where id = 'stream-1'"));
        Assert.Equal("test", await database.Scalar<string>("select type from mt_streams where id = 'stream-1'"));
        Assert.Equal(2L, await database.Scalar<long>("select version from mt_streams where id = 'stream-2'"));
        Assert.Equal(3L, await database.Scalar<long>("select count(*) from inbox where consumer = 'batched'"));
        // The batch's three messages share one row.
        Assert.Equal((1L, 3L), (await database.Scalar<long>("select count(*) from outbox"), await database.Scalar<long>("select sum(messages) from outbox")));
        var metadata = await database.Scalar<string>("select headers::text from mt_events where stream_id = 'stream-3'");
        Assert.Contains(ids[2].ToString(), metadata, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_finds_and_names_its_streams_by_index_in_a_table_never_analysed()
    {
        // Order's batches look up a hundred streams among tens of thousands written minutes before, in a
        // database autovacuum has not analysed yet.
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        await using (var first = await store.OpenSession(null, Metadata(Guid.NewGuid()), None))
        {
            first.Append("stream-0", "test", 0, [new TestMessageApplied(Guid.Empty, 0)]);
            await first.Commit(None);
        }
        await database.Scalar<object>("alter table mt_streams set (autovacuum_enabled = false)");
        await database.Scalar<object>("insert into mt_streams (id, type, version) select 'order-' || n, 'order', 4 from generate_series(1, 20000) n");
        var ids = Enumerable.Range(1, 100).Select(n => $"order-{n * 150}").ToArray();

        foreach (var plan in new[]
                 {
                     await database.Plan(SessionBatch.ExistingStreamsSql("mt_streams"), new object[] { ids }),
                     await database.Plan(PlumbingRows.StreamTypesSql("mt_streams"), ids, ids.Select(_ => "renamed").ToArray()),
                 })
        {
            Assert.Contains("\"Relation Name\": \"mt_streams\"", plan);
            Assert.DoesNotContain("\"Seq Scan\"", plan);
        }
    }

    [Fact]
    public async Task A_batch_holding_a_message_consumed_before_writes_nothing_and_asks_for_one_by_one()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var consumedBefore = Guid.NewGuid();
        await using (var batch = await store.OpenBatch(None))
        {
            await Apply(batch, "earlier", 0, consumedBefore);
            Assert.Equal(BatchCommitResult.Committed, await batch.Commit(None));
        }

        await using (var batch = await store.OpenBatch(None))
        {
            await Apply(batch, "new-1", 1);
            var (redelivered, _) = await Apply(batch, "earlier-again", 2, consumedBefore);
            Assert.False(await redelivered.AlreadyConsumed(None), "in a batch the commit finds a redelivery, not a round trip of its own");
            Assert.Equal(BatchCommitResult.HandleOneByOne, await batch.Commit(None));
        }

        Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_streams where id in ('new-1', 'earlier-again')"));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from inbox"));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from outbox"));
    }

    [Fact]
    public async Task Two_sessions_of_a_batch_appending_to_one_stream_write_nothing_and_ask_for_one_by_one()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        await using (var batch = await store.OpenBatch(None))
        {
            await batch.Preload(["shared"], None);
            await Apply(batch, "shared", 1);
            await Apply(batch, "shared", 2);
            Assert.Equal(BatchCommitResult.HandleOneByOne, await batch.Commit(None));
        }

        Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from inbox"));
    }

    [Fact]
    public async Task A_batch_whose_stream_moved_on_after_the_preload_writes_nothing_and_asks_for_one_by_one()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        await using var batch = await store.OpenBatch(None);
        await batch.Preload(["moving"], None);
        await Apply(batch, "moving", 1);

        await using (var other = await store.OpenSession(null, Metadata(Guid.NewGuid()), None))
        {
            other.Append("moving", "test", 0, [new TestMessageApplied(Guid.Empty, 0)]);
            await other.Commit(None);
        }

        Assert.Equal(BatchCommitResult.HandleOneByOne, await batch.Commit(None));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from mt_events where stream_id = 'moving'"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from inbox"));
    }

    [Fact]
    public async Task A_session_of_a_batch_cannot_commit_on_its_own()
    {
        await using var database = await TestDatabase.Create();
        await using var batch = await database.Store().OpenBatch(None);
        var (session, _) = await Apply(batch, "alone", 1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.Commit(None));
    }

    private static readonly BatchedUpsert Listed = new("listed",
        [("owner", "text"), ("item", "uuid"), ("label", "text"), ("due", "timestamptz")], keyColumns: 2, updated: ["label", "due"]);

    [Fact]
    public async Task The_read_model_rows_of_a_batch_commit_with_it_the_later_row_of_a_key_winning()
    {
        await using var database = await TestDatabase.Create();
        await database.Scalar<object>("create table listed (owner text, item uuid, label text not null, due timestamptz, primary key (owner, item))");
        var store = database.Store();
        var (item, other) = (Guid.NewGuid(), Guid.NewGuid());
        var due = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.FromHours(8));
        await using (var batch = await store.OpenBatch(None))
        {
            (await Apply(batch, "listed-1", 1)).Session.Upsert(Listed, "a", item, "first", null);
            (await Apply(batch, "listed-2", 2)).Session.Upsert(Listed, "a", other, "other", due);
            // The same key again in the same commit: one statement cannot update a row twice, so the later row is the one written.
            (await Apply(batch, "listed-3", 3)).Session.Upsert(Listed, "a", item, "second", due);
            Assert.Equal(BatchCommitResult.Committed, await batch.Commit(None));
        }
        Assert.Equal(2L, await database.Scalar<long>("select count(*) from listed"));
        Assert.Equal("second", await database.Scalar<string>("select label from listed where item = $1", item));
        Assert.Equal(due, await database.Scalar<DateTime>("select due from listed where item = $1", other));

        await using (var session = await store.OpenSession(null, Metadata(Guid.NewGuid()), None))
        {
            session.Upsert(Listed, "a", item, "third", null);
            Assert.Equal(CommitResult.Committed, await session.Commit(None));
        }
        Assert.Equal("third", await database.Scalar<string>("select label from listed where item = $1", item));
        Assert.True(await database.Scalar<bool>("select due is null from listed where item = $1", item), "an existing row takes the new row's null");

        await using (var session = await store.OpenSession(null, Metadata(Guid.NewGuid()), None))
        {
            // A row alone goes as plain values, not arrays: its instant, given with its sender's offset, is the same moment.
            session.Upsert(Listed, "d", item, "alone", due);
            Assert.Equal(CommitResult.Committed, await session.Commit(None));
        }
        Assert.Equal(due, await database.Scalar<DateTime>("select due from listed where owner = 'd'"));

        await using (var batch = await store.OpenBatch(None))
        {
            await batch.Preload(["listed-1"], None);
            (await Apply(batch, "listed-1", 4)).Session.Upsert(Listed, "b", item, "never", null);
            (await Apply(batch, "listed-1", 5)).Session.Upsert(Listed, "c", item, "never", null);
            Assert.Equal(BatchCommitResult.HandleOneByOne, await batch.Commit(None));
        }
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from listed where owner not in ('a', 'd')"));
    }
}
