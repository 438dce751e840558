using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults;
using Platform.EventSourcing;
using Platform.TestHost.Messages;

using Platform.Testing;

namespace Platform.Foundation.Tests;

[Collection(TimingSensitive.Name)]
public sealed class ScheduleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    internal static async Task<Guid> Schedule(EventStore store, DateTimeOffset dueAt, TestMessage message)
    {
        await using var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None);
        var id = session.Schedule(dueAt, message);
        await session.Commit(CancellationToken.None);
        return id;
    }

    [Fact]
    public async Task A_message_scheduled_two_seconds_ahead_fires_once_at_most_one_second_late()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries);
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var id = await Schedule(database.Store(), dueAt, new TestMessage(deliveries.RunId, 1));

        await Eventually.Until(() => deliveries.Count == 1, Deadline, "the scheduled message fires");
        var delivery = deliveries.All[0];
        Assert.Equal(id, delivery.MessageId);
        Assert.True(delivery.At >= dueAt, $"fired {(dueAt - delivery.At).TotalMilliseconds:F0} ms early");
        Assert.True(delivery.At - dueAt <= TimeSpan.FromSeconds(1), $"fired {(delivery.At - dueAt).TotalMilliseconds:F0} ms late");
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'") == 1, Deadline, "applied once");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_message_due_while_no_relay_runs_fires_once_when_a_relay_returns()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        await using var receiverDatabase = await TestDatabase.Create();
        using var receiver = await Hosts.Start(receiverDatabase, deliveries);
        var dueAt = DateTimeOffset.UtcNow.AddMilliseconds(300);
        await Schedule(database.Store(), dueAt, new TestMessage(deliveries.RunId, 1));
        await Eventually.Until(() => DateTimeOffset.UtcNow > dueAt.AddSeconds(1), Deadline, "the due time passes with no relay");
        Assert.Equal(0, deliveries.Count);

        using var relay = await Hosts.Start(database);

        await Eventually.Until(async () => await receiverDatabase.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'") == 1, Deadline, "fired after the relay returned");
        Assert.Equal(1, deliveries.Count);
        await relay.StopAsync();
        await receiver.StopAsync();
    }

    [Fact]
    public async Task A_cancelled_message_never_fires()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries);
        var store = database.Store();
        var cancelled = await Schedule(store, DateTimeOffset.UtcNow.AddSeconds(1), new TestMessage(deliveries.RunId, 1));
        await Schedule(store, DateTimeOffset.UtcNow.AddSeconds(2), new TestMessage(deliveries.RunId, 2));

        await using (var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None))
        {
            session.CancelScheduled(cancelled);
            Assert.True(await database.Scalar<bool>("select exists (select 1 from outbox where id = $1)", cancelled), "a cancellation waits for its commit");
            await session.Commit(CancellationToken.None);
        }
        Assert.False(await database.Scalar<bool>("select exists (select 1 from outbox where id = $1)", cancelled), "the commit removed the row");

        // The later message is the witness: once it has fired, the cancelled one was due long ago.
        await Eventually.Until(() => deliveries.Count >= 1, Deadline, "the witness fires");
        await host.StopAsync();
        Assert.Equal([2], deliveries.All.Select(d => d.Message.Number));
    }

    [Fact]
    public async Task A_message_scheduled_under_a_named_id_carries_it_and_cancellations_in_one_commit_remove_each_row()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries);
        var store = database.Store();
        var named = Guid.NewGuid();
        var first = await Schedule(store, DateTimeOffset.UtcNow.AddSeconds(1), new TestMessage(deliveries.RunId, 1));
        var second = await Schedule(store, DateTimeOffset.UtcNow.AddSeconds(1), new TestMessage(deliveries.RunId, 2));

        await using (var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None))
        {
            Assert.Equal(named, session.Schedule(DateTimeOffset.UtcNow.AddSeconds(2), new TestMessage(deliveries.RunId, 3), id: named));
            var withdrawn = session.Schedule(DateTimeOffset.UtcNow.AddSeconds(1), new TestMessage(deliveries.RunId, 4));
            session.CancelScheduled(first);
            session.CancelScheduled(second);
            session.CancelScheduled(withdrawn);
            await session.Commit(CancellationToken.None);
        }
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from outbox where scheduled"));

        // The named message is the witness: once it has fired, the cancelled ones were due before it.
        await Eventually.Until(() => deliveries.Count >= 1, Deadline, "the named message fires");
        await host.StopAsync();
        Assert.Equal([(3, named)], deliveries.All.Select(d => (d.Message.Number, d.MessageId)));
    }

    [Fact]
    public async Task A_compressed_clock_brings_a_schedule_a_day_ahead_forward_to_seconds()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        var clock = new AcceleratedTimeProvider(DateTimeOffset.UtcNow, speed: 43_200);
        using var host = await Hosts.Start(database, deliveries, clock);
        var started = Stopwatch.StartNew();

        await Schedule(database.Store(clock), clock.GetUtcNow().AddHours(24), new TestMessage(deliveries.RunId, 1));

        await Eventually.Until(() => deliveries.Count == 1, Deadline, "24 clock hours pass in about 2 real seconds");
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(1.5), $"fired after {started.Elapsed}, before 24 clock hours had passed");
        await host.StopAsync();
    }
}

[Collection(ServerFaults.Name)]
public sealed class BrokerFaultTests
{
    [ContainerFact]
    public async Task A_message_due_while_RabbitMQ_is_stopped_is_delivered_once_after_it_returns()
    {
        await using var database = await TestDatabase.Create();
        await using var broker = await TestBroker.Start();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries, settings: broker.Settings);
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(2);
        await ScheduleTests.Schedule(database.Store(), dueAt, new TestMessage(deliveries.RunId, 1));

        await broker.Stop();
        await Eventually.Until(() => DateTimeOffset.UtcNow > dueAt.AddSeconds(2), TimeSpan.FromSeconds(30), "the due time passes with the broker down");
        Assert.Equal(0, deliveries.Count);
        await broker.Restart();

        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'") == 1, TimeSpan.FromSeconds(90), "delivered after the broker returned");
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, TimeSpan.FromSeconds(30), "the row is removed");
        Assert.Single(deliveries.All.Select(d => d.MessageId).Distinct());
        await host.StopAsync();
    }
}

/// <summary>
/// Tests that assert how late a message may be: they run alone, after the parallel ones, so the
/// 10,000-message relay test does not load the broker under them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "TimingSensitive";
}

/// <summary>
/// Tests that stop and start a server (a container of their own): they run alone, after the parallel
/// ones, so that how long the server takes to come back is not measured under the others' load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerFaults
{
    public const string Name = "ServerFaults";
}

public sealed class MigrationTests
{
    [Fact]
    public async Task Two_processes_applying_migrations_at_the_same_moment_both_succeed_with_the_schema_applied_once()
    {
        await using var database = await TestDatabase.Create(migrate: false);

        await using var a = ChildProcess.Start(database.Name, "migrate");
        await using var b = ChildProcess.Start(database.Name, "migrate");

        Assert.Equal(0, await a.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, await b.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(EventStoreSchema.Migrations.Count, await database.Scalar<long>("select count(*) from schema_migrations"));
        Assert.Equal(5L, await database.Scalar<long>(
            "select count(*) from information_schema.tables where table_schema = 'public' and table_name in ('mt_events', 'mt_streams', 'inbox', 'outbox', 'refusals')"));
    }

    [Fact]
    public async Task Applying_migrations_again_changes_nothing_and_a_later_version_is_added()
    {
        await using var database = await TestDatabase.Create();
        var later = new Migration("readmodels", 1, "create table if not exists claims_view (id uuid primary key)");

        await Migrator.Apply(database.DataSource, [.. EventStoreSchema.Migrations, later], CancellationToken.None);
        await Migrator.Apply(database.DataSource, [.. EventStoreSchema.Migrations, later], CancellationToken.None);

        Assert.Equal(EventStoreSchema.Migrations.Count + 1, await database.Scalar<long>("select count(*) from schema_migrations"));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from information_schema.tables where table_name = 'claims_view'"));
    }
}
