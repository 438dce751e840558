using System.Diagnostics;
using Platform.EventSourcing;
using Platform.TestHost.Messages;

using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class EventStoreTests
{
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);

    [Fact]
    public async Task Twenty_concurrent_writers_retrying_on_conflict_leave_versions_one_to_twenty_with_every_event_once()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var runId = Guid.NewGuid();
        var conflicts = 0;

        await Task.WhenAll(Enumerable.Range(1, 20).Select(writer => Task.Run(async () =>
        {
            while (true)
            {
                await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);
                var stream = await session.Load("contended", "test", 0, (count, _) => count + 1, CancellationToken.None);
                session.Append(stream, [new TestMessageApplied(runId, writer)]);
                try
                {
                    await session.Commit(CancellationToken.None);
                    return;
                }
                catch (StreamConcurrencyException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));

        var events = await store.ReadStream("contended", CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(Enumerable.Range(1, 20), events.Select(e => ((TestMessageApplied)e.Data).Number).Order());
        Assert.Equal(20L, await database.Scalar<long>("select version from mt_streams where id = 'contended'"));
        Assert.True(conflicts > 0, "20 writers on 2 cores should have collided at least once; otherwise this test proves nothing about retries");
    }

    [Fact]
    public async Task A_stale_append_fails_naming_the_stream_and_both_versions_and_stores_nothing()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var runId = Guid.NewGuid();

        await using var first = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        await using var second = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        var a = await first.Load("order-1", "test", 0, (c, _) => c + 1, CancellationToken.None);
        var b = await second.Load("order-1", "test", 0, (c, _) => c + 1, CancellationToken.None);
        first.Append(a, [new TestMessageApplied(runId, 1), new TestMessageApplied(runId, 2)]);
        second.Append(b, [new TestMessageApplied(runId, 3)]);
        second.Publish(new TestMessage(runId, 3));
        await first.Commit(CancellationToken.None);

        var error = await Assert.ThrowsAsync<StreamConcurrencyException>(() => second.Commit(CancellationToken.None));
        Assert.Equal("order-1", error.StreamId);
        Assert.Equal(0, error.ExpectedVersion);
        Assert.Equal(2, error.ActualVersion);
        Assert.Contains("order-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(2L, await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'"));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from outbox"));
    }

    [Fact]
    public async Task A_conflict_in_a_unit_of_work_of_two_streams_names_the_one_that_moved()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var runId = Guid.NewGuid();
        foreach (var id in new[] { "job-1", "provider-1" })
        {
            await using var seed = await store.OpenSession(null, NoMetadata, CancellationToken.None);
            seed.Append(id, "test", 0, [new TestMessageApplied(runId, 0)]);
            await seed.Commit(CancellationToken.None);
        }

        await using var slow = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        var job = await slow.Load("job-1", "test", 0, (c, _) => c + 1, CancellationToken.None);
        var provider = await slow.Load("provider-1", "test", 0, (c, _) => c + 1, CancellationToken.None);
        await using (var fast = await store.OpenSession(null, NoMetadata, CancellationToken.None))
        {
            fast.Append("provider-1", "test", 1, [new TestMessageApplied(runId, 1), new TestMessageApplied(runId, 2)]);
            await fast.Commit(CancellationToken.None);
        }
        slow.Append(job, [new TestMessageApplied(runId, 3)]);
        slow.Append(provider, [new TestMessageApplied(runId, 4)]);

        var e = await Assert.ThrowsAsync<StreamConcurrencyException>(() => slow.Commit(CancellationToken.None));
        Assert.Equal(("provider-1", 1L, 3L), (e.StreamId, e.ExpectedVersion, e.ActualVersion));
    }

    [Fact]
    public async Task An_append_on_an_existing_stream_with_a_stale_version_is_refused()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var runId = Guid.NewGuid();
        await using (var session = await store.OpenSession(null, NoMetadata, CancellationToken.None))
        {
            session.Append("s", "test", 0, [new TestMessageApplied(runId, 1)]);
            await session.Commit(CancellationToken.None);
        }
        await using (var session = await store.OpenSession(null, NoMetadata, CancellationToken.None))
        {
            session.Append("s", "test", 5, [new TestMessageApplied(runId, 2)]);
            var error = await Assert.ThrowsAsync<StreamConcurrencyException>(() => session.Commit(CancellationToken.None));
            Assert.Equal((5L, 1L), (error.ExpectedVersion, error.ActualVersion));
        }
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'"));
    }

    [Fact]
    public async Task A_read_model_row_written_in_the_unit_of_work_goes_when_its_append_loses_the_race()
    {
        await using var database = await TestDatabase.Create();
        await using (var create = database.DataSource.CreateCommand("create table claim_view (stream_id text primary key)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var store = database.Store();
        var runId = Guid.NewGuid();
        await using var loser = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        var stale = await loser.Load("s", "test", 0, (c, _) => c + 1, CancellationToken.None);
        await using (var winner = await store.OpenSession(null, NoMetadata, CancellationToken.None))
        {
            winner.Append("s", "test", 0, [new TestMessageApplied(runId, 1)]);
            await winner.Commit(CancellationToken.None);
        }

        await using (var insert = new Npgsql.NpgsqlCommand("insert into claim_view values ('s')", loser.Connection, loser.Transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }
        loser.Append(stale, [new TestMessageApplied(runId, 2)]);

        await Assert.ThrowsAsync<StreamConcurrencyException>(() => loser.Commit(CancellationToken.None));
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from claim_view"));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'"));
    }

    [Fact]
    public async Task Events_carry_message_correlation_causation_and_trace_context_and_a_global_sequence()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        using var source = new ActivitySource("Platform.Tests");
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == "Platform.Tests", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("test");
        var (messageId, correlationId, causationId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await using (var session = await store.OpenSession(null, MessageMetadata.FromCurrentActivity(messageId, correlationId, causationId), CancellationToken.None))
        {
            session.Append("a", "test", 0, [new TestMessageApplied(correlationId, 1)]);
            session.Append("b", "test", 0, [new TestMessageApplied(correlationId, 2)]);
            await session.Commit(CancellationToken.None);
        }

        var a = Assert.Single(await store.ReadStream("a", CancellationToken.None));
        var b = Assert.Single(await store.ReadStream("b", CancellationToken.None));
        Assert.Equal(new MessageMetadata(messageId, correlationId, causationId, activity!.Id, activity.TraceStateString), a.Metadata);
        Assert.Contains(activity.TraceId.ToHexString(), a.Metadata.TraceParent, StringComparison.Ordinal);
        Assert.True(b.Sequence > a.Sequence);
        Assert.Equal("test-message-applied", a.Type);
    }

    [Fact]
    public async Task A_renamed_clr_type_still_reads_events_stored_under_its_registered_name()
    {
        await using var database = await TestDatabase.Create();
        var runId = Guid.NewGuid();
        await using (var session = await database.Store().OpenSession(null, NoMetadata, CancellationToken.None))
        {
            session.Append("s", "test", 0, [new TestMessageApplied(runId, 7)]);
            await session.Commit(CancellationToken.None);
        }

        var renamed = new MessageTypeRegistry().Register<RenamedApplied>("test-message-applied");
        var events = await new EventStore(database.DataSource, renamed, TimeProvider.System).ReadStream("s", CancellationToken.None);

        Assert.Equal(new RenamedApplied(runId, 7), Assert.Single(events).Data);
    }

    [Fact]
    public async Task A_polymorphic_event_reads_back_although_jsonb_puts_its_type_discriminator_after_short_keys()
    {
        await using var database = await TestDatabase.Create();
        var types = new MessageTypeRegistry().Register<Parked>("parked");
        var store = new EventStore(database.DataSource, types, TimeProvider.System);
        var parked = new Parked(new Shipped("o-1", DateTimeOffset.Parse("2024-03-08T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        await using (var session = await store.OpenSession(null, NoMetadata, CancellationToken.None))
        {
            session.Append("o-1", "order", 0, [parked]);
            await session.Commit(CancellationToken.None);
        }

        Assert.DoesNotContain("{\"$type\"", await database.Scalar<string>("select data::text from mt_events where stream_id = 'o-1'"), StringComparison.Ordinal);
        Assert.Equal(parked, Assert.Single(await store.ReadStream("o-1", CancellationToken.None)).Data);
    }

    [Fact]
    public async Task An_unregistered_event_type_is_refused_before_anything_is_written()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        await store.ApplySchema(CancellationToken.None);
        await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);

        Assert.Throws<UnknownMessageTypeException>(() => session.Append("s", "test", 0, [new RenamedApplied(Guid.NewGuid(), 1)]));
        await session.Commit(CancellationToken.None);
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'"));
    }

    [Fact]
    public async Task A_message_consumed_twice_commits_its_effects_once()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var incoming = new IncomingMessage(Guid.NewGuid(), "consumer-a");
        var runId = Guid.NewGuid();

        var results = new List<CommitResult>();
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await using var session = await store.OpenSession(incoming, NoMetadata, CancellationToken.None);
            var stream = await session.Load("effects", "test", 0, (c, _) => c + 1, CancellationToken.None);
            session.Append(stream, [new TestMessageApplied(runId, delivery)]);
            session.Publish(new TestMessage(runId, delivery));
            results.Add(await session.Commit(CancellationToken.None));
        }

        Assert.Equal([CommitResult.Committed, CommitResult.AlreadyConsumed], results);
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'"));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from outbox"));

        await using var other = await store.OpenSession(incoming with { Consumer = "consumer-b" }, NoMetadata, CancellationToken.None);
        Assert.False(await other.AlreadyConsumed(CancellationToken.None));
    }
}

public sealed class RefusalLogTests
{
    [Fact]
    public async Task A_refused_message_is_kept_with_its_reason_once_and_nothing_else_is_written()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        await store.ApplySchema(CancellationToken.None);
        var incoming = new IncomingMessage(Guid.NewGuid(), "order-placed");
        var refused = new TestMessage(Guid.NewGuid(), -1);

        var results = new List<CommitResult>();
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await using var session = await store.OpenSession(incoming, new MessageMetadata(incoming.MessageId, null, null, null, null), CancellationToken.None);
            session.RecordRefusal(refused, "InvalidAmount", "The unit price of line L1 is -1; money cannot be below zero.");
            results.Add(await session.Commit(CancellationToken.None));
        }

        Assert.Equal([CommitResult.Committed, CommitResult.AlreadyConsumed], results);
        var log = Assert.Single(await RefusalLog.Latest(database.DataSource, 10, CancellationToken.None));
        Assert.Equal((incoming.MessageId, "order-placed", "test-message", "InvalidAmount"), (log.MessageId, log.Consumer, log.MessageType, log.Code));
        Assert.Contains("below zero", log.Reason, StringComparison.Ordinal);
        Assert.Equal(-1, log.Body!.Value.GetProperty("number").GetInt32());
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'"));
    }
}

[System.Text.Json.Serialization.JsonDerivedType(typeof(Shipped), "shipped")]
public abstract record TradeFact;

public sealed record Shipped(string Id, DateTimeOffset At) : TradeFact;

public sealed record Parked(TradeFact Event);

public sealed record RenamedApplied(Guid RunId, int Number);
