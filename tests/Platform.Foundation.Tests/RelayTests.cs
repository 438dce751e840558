using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.EventSourcing;
using Platform.TestHost.Messages;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>The relay's claim, its lease and attempts, and what it does at shutdown and across clocks.</summary>
public sealed class RelayTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    internal static Task<long> Applied(TestDatabase database) => database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'");

    private static async Task<Guid> Publish(EventStore store, TestMessage message)
    {
        await using var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None);
        var id = session.Publish(message);
        await session.Commit(CancellationToken.None);
        return id;
    }

    [Fact]
    public async Task The_relay_reads_an_outbox_never_analysed_through_its_indexes_not_the_whole_table()
    {
        // A new database's outbox has no statistics until autovacuum first analyses it; a day of
        // scheduled deadlines ahead of a few rows due now is what a repair-dispatch outbox holds.
        await using var database = await TestDatabase.Create();
        await database.Scalar<object>("alter table outbox set (autovacuum_enabled = false)");
        await database.Scalar<object>("""
            insert into outbox (id, due_at, scheduled, message_type, body, headers, created_at, locked_until, retry_at)
            select gen_random_uuid(), now() + interval '1 day' + n * interval '1 second', true, 'deadline', '{}'::jsonb, '{}'::jsonb, now(), null, null
            from generate_series(1, 7000) n
            union all
            select gen_random_uuid(), now(), false, 'event', '{}'::jsonb, '{}'::jsonb, now(),
                case when n % 5 = 0 then now() + interval '30 seconds' end::timestamptz, case when n % 7 = 0 then now() + interval '5 seconds' end
            from generate_series(1, 50) n
            """);

        foreach (var plan in new[]
                 {
                     await database.Plan(OutboxRelay.ClaimSql, DateTimeOffset.UtcNow, 100, TimeSpan.FromSeconds(30)),
                     await database.Plan(OutboxRelay.NextDueSql),
                 })
        {
            Assert.Contains("\"Relation Name\": \"outbox\"", plan);
            Assert.DoesNotContain("\"Seq Scan\"", plan);
        }
    }

    [Fact]
    public async Task A_stalled_broker_leaves_no_transaction_open_and_a_cancellation_does_not_wait_for_it()
    {
        await using var database = await TestDatabase.Create();
        var servers = TestServers.Current.Settings;
        await using var proxy = new StallingProxy(servers.RabbitHost, servers.RabbitPort);
        using var host = await Hosts.Start(database,
            settings: new Dictionary<string, string?> { ["PLATFORM_RABBITMQ_HOST"] = "127.0.0.1", ["PLATFORM_RABBITMQ_PORT"] = proxy.Port.ToString() },
            relay: o => o.PublishTimeout = TimeSpan.FromSeconds(20));
        var store = database.Store();
        var runId = Guid.NewGuid();

        proxy.Stall();
        var inFlight = await ScheduleTests.Schedule(store, DateTimeOffset.UtcNow, new TestMessage(runId, 1));
        var later = await ScheduleTests.Schedule(store, DateTimeOffset.UtcNow.AddHours(1), new TestMessage(runId, 2));
        await Eventually.Until(async () => await database.Scalar<bool>("select exists (select 1 from outbox where id = $1 and locked_until > now())", inFlight),
            Deadline, "the relay claims the due row and is publishing it");

        // Sampled for a second of the stall: the relay's claim has committed and nothing waits in a transaction.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            Assert.Equal(0L, await database.Scalar<long>(
                "select count(*) from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'"));
            await Task.Delay(100);
        }
        watch.Restart();
        await using (var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None))
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            session.CancelScheduled(later);
            session.CancelScheduled(inFlight);
            await session.Commit(quick.Token);
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the cancellation took {watch.Elapsed}");
        Assert.False(await database.Scalar<bool>("select exists (select 1 from outbox where id = $1)", later), "the later message is cancelled");
        Assert.True(await database.Scalar<bool>("select exists (select 1 from outbox where id = $1)", inFlight),
            "a message being sent is not cancelled, and the broker has confirmed nothing, so the row stays");

        proxy.Resume();
        await host.StopAsync();
    }

    [Fact]
    public async Task A_broker_that_is_away_costs_no_attempts_and_the_message_goes_out_when_it_returns()
    {
        await using var database = await TestDatabase.Create();
        var servers = TestServers.Current.Settings;
        await using var proxy = new StallingProxy(servers.RabbitHost, servers.RabbitPort);
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries,
            settings: new Dictionary<string, string?> { ["PLATFORM_RABBITMQ_HOST"] = "127.0.0.1", ["PLATFORM_RABBITMQ_PORT"] = proxy.Port.ToString() },
            relay: o =>
            {
                o.MaxAttempts = 2;
                o.RetryDelay = TimeSpan.FromMilliseconds(100);
            });
        var bus = host.Services.GetRequiredService<IBusControl>();

        proxy.Sever();
        // MassTransit calls a bus whose broker is gone degraded: its receive endpoints fail, its own does not.
        await Eventually.Until(() => bus.CheckHealth().Status != BusHealthStatus.Healthy, Deadline, "the bus notices the broker is gone");
        var id = await Publish(database.Store(), new TestMessage(deliveries.RunId, 1));
        // Long enough for a relay that claimed regardless to spend both attempts several times over.
        var away = Stopwatch.StartNew();
        await Eventually.Until(() => away.Elapsed > TimeSpan.FromSeconds(5), Deadline, "the broker stays away for 5 s");
        Assert.Equal(0, await database.Scalar<int>("select attempts from outbox where id = $1", id));

        proxy.Restore();
        await Eventually.Until(() => deliveries.Count == 1, TimeSpan.FromSeconds(60), "the message is delivered once the broker is back");
        Assert.Equal(id, deliveries.All[0].MessageId);
        Assert.Empty(await RefusalLog.Latest(database.DataSource, 10, CancellationToken.None));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_row_that_always_fails_is_set_aside_after_its_attempts_the_rows_behind_it_flow_and_a_retry_sends_it()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        var failing = Guid.NewGuid();
        // A queue name the broker's client refuses: every publish of this row fails.
        await using (var command = database.DataSource.CreateCommand(
            "insert into outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at) values ($1, now(), false, 'no such queue!', 'test-message', $2, '{}', now())"))
        {
            command.Parameters.Add(new() { Value = failing });
            command.Parameters.Add(new() { Value = $$"""{"runId":"{{deliveries.RunId}}","number":0}""" });
            await command.ExecuteNonQueryAsync();
        }
        using var host = await Hosts.Start(database, deliveries, relay: o =>
        {
            o.MaxAttempts = 3;
            o.RetryDelay = TimeSpan.FromMilliseconds(100);
        });
        var store = database.Store();
        for (var i = 1; i <= 5; i++)
        {
            await Publish(store, new TestMessage(deliveries.RunId, i));
        }

        await Eventually.Until(() => deliveries.Count == 5, Deadline, "the rows behind the failing one are delivered");
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, Deadline, "the failing row leaves the outbox");
        var setAside = Assert.Single(await RefusalLog.Latest(database.DataSource, 10, CancellationToken.None));
        Assert.Equal((failing, SetAsideMessages.Consumer, "PublishFailed"), (setAside.MessageId!.Value, setAside.Consumer, setAside.Code));
        Assert.StartsWith("Not published after 3 attempts", setAside.Reason, StringComparison.Ordinal);

        // The operator's fix (here: the right destination), then `platform outbox retry`.
        await using (var fix = database.DataSource.CreateCommand("update refusals set destination = null where message_id = $1"))
        {
            fix.Parameters.Add(new() { Value = failing });
            await fix.ExecuteNonQueryAsync();
        }
        Assert.Equal([failing], await SetAsideMessages.Retry(database.DataSource, [failing], CancellationToken.None));
        await Eventually.Until(() => deliveries.All.Any(d => d.MessageId == failing), Deadline, "the retried message is delivered");
        Assert.Empty(await RefusalLog.Latest(database.DataSource, 10, CancellationToken.None));
        Assert.Empty(await SetAsideMessages.Retry(database.DataSource, [failing], CancellationToken.None));
        await host.StopAsync();
    }

    /// <summary>One commit of three messages: the middle one to a queue name the broker's client refuses, so it fails every time and its neighbours do not.</summary>
    private static async Task<(Guid Failing, List<Guid> Sent)> CommitBesideAFailingMessage(EventStore store, Guid runId)
    {
        await using var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None);
        var sent = new List<Guid> { session.Publish(new TestMessage(runId, 1)) };
        var failing = session.Send("no such queue!", new TestMessage(runId, 2));
        sent.Add(session.Publish(new TestMessage(runId, 3)));
        await session.Commit(CancellationToken.None);
        return (failing, sent);
    }

    [Fact]
    public async Task The_messages_of_one_commit_share_a_row_each_goes_out_under_its_own_id_and_one_that_fails_is_set_aside_alone()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        var (failing, sent) = await CommitBesideAFailingMessage(database.Store(), deliveries.RunId);
        Assert.Equal((1L, 3L), (await database.Scalar<long>("select count(*) from outbox"), await database.Scalar<long>("select sum(messages) from outbox")));

        using var host = await Hosts.Start(database, deliveries, relay: o =>
        {
            o.MaxAttempts = 2;
            o.RetryDelay = TimeSpan.FromMilliseconds(100);
        });
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, Deadline, "the shared row and the failing message's own row leave the outbox");
        await Eventually.Until(() => deliveries.Count == 2, Deadline, "the two good messages are delivered");
        Assert.Equal(sent.Order(), deliveries.All.Select(d => d.MessageId).Order());
        var setAside = Assert.Single(await RefusalLog.Latest(database.DataSource, 10, CancellationToken.None));
        Assert.Equal((failing, "PublishFailed"), (setAside.MessageId!.Value, setAside.Code));
        Assert.StartsWith("Not published after 2 attempts", setAside.Reason, StringComparison.Ordinal);
        Assert.Equal("test-message", setAside.MessageType);
        await host.StopAsync();
        // Delivered once each: the good messages were not published again when the failing one was split off.
        Assert.Equal(2, deliveries.Count);
    }

    [Fact]
    public async Task A_message_that_failed_is_tried_again_when_its_back_off_ends_not_at_the_idle_bound()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        var (failing, _) = await CommitBesideAFailingMessage(database.Store(), deliveries.RunId);

        // No notification comes for a row backed off, and the idle bound is far: only the relay's own
        // timer brings the second and third attempts, 100 and 200 ms after the one before.
        using var host = await Hosts.Start(database, deliveries, relay: o =>
        {
            o.MaxIdle = TimeSpan.FromMinutes(2);
            o.MaxAttempts = 3;
            o.RetryDelay = TimeSpan.FromMilliseconds(100);
        });
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from refusals where message_id = $1", failing) == 1,
            TimeSpan.FromSeconds(20), "the failing message set aside after its three attempts");
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from outbox"));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_commit_wakes_the_relay_of_its_own_process_and_asks_PostgreSQL_for_no_notification()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        await using var listener = await database.DataSource.OpenConnectionAsync();
        var notified = 0;
        listener.Notification += (_, _) => Interlocked.Increment(ref notified);
        await using (var listen = new NpgsqlCommand($"listen {OutboxRelay.NotifyChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }
        // The idle bound is far: a message out within seconds was woken for.
        using var host = await Hosts.Start(database, deliveries, relay: o => o.MaxIdle = TimeSpan.FromMinutes(2));
        var store = database.Store();
        await Publish(store, new TestMessage(deliveries.RunId, 1));
        await Eventually.Until(() => deliveries.Count == 1, Deadline, "the first message, which the relay may find as it starts");

        await Publish(store, new TestMessage(deliveries.RunId, 2));

        await Eventually.Until(() => deliveries.Count == 2, TimeSpan.FromSeconds(10), "the second message, with the relay asleep until its idle bound");
        // A notification is read with the next statement on the listening connection.
        await using (var ping = new NpgsqlCommand("select 1", listener))
        {
            await ping.ExecuteScalarAsync();
        }
        Assert.Equal(0, Volatile.Read(ref notified));
        await host.StopAsync();
    }

    [Fact]
    public async Task An_immediate_message_written_by_a_clock_an_hour_ahead_goes_out_at_once()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries);
        var writer = database.Store(new AheadClock(TimeSpan.FromHours(1)));

        var id = await Publish(writer, new TestMessage(deliveries.RunId, 1));

        await Eventually.Until(() => deliveries.Count == 1, TimeSpan.FromSeconds(10), "the message is delivered although its due time is an hour ahead of the relay's clock");
        Assert.Equal(id, deliveries.All[0].MessageId);
        await host.StopAsync();
    }

    private sealed class AheadClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}

/// <summary>Alone, after the parallel tests: under their load a confirm can outlast even a long publish timeout.</summary>
[Collection(TimingSensitive.Name)]
public sealed class RelayShutdownTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_shutdown_in_the_middle_of_a_batch_publishes_nothing_twice()
    {
        const int count = 5_000;
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        await using var receiverDatabase = await TestDatabase.Create();
        using var receiver = await Hosts.Start(receiverDatabase, deliveries);
        var store = database.Store();
        for (var batch = 0; batch < count / 500; batch++)
        {
            await using var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None);
            for (var i = 1; i <= 500; i++)
            {
                session.Publish(new TestMessage(deliveries.RunId, batch * 500 + i));
            }
            await session.Commit(CancellationToken.None);
        }

        // A publish unconfirmed within its timeout is sent again by design; a long one leaves the shutdown the only cause.
        void Patient(OutboxRelayOptions o) => o.PublishTimeout = TimeSpan.FromSeconds(30);
        var first = await Hosts.Start(database, relay: Patient);
        await Eventually.Until(() => deliveries.Count >= 100, Deadline, "the first relay is publishing");
        await first.StopAsync();
        first.Dispose();
        var left = await database.Scalar<long>("select count(*) from outbox");
        Assert.True(left > 0, "the relay was stopped after it had finished: the test proves nothing");
        Assert.Equal(0L, await database.Scalar<long>("select count(*) from outbox where locked_until > now()"));

        using var second = await Hosts.Start(database, relay: Patient);
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, TimeSpan.FromMinutes(2), "the second relay drains the outbox");
        await Eventually.Until(async () => await RelayTests.Applied(receiverDatabase) == count, TimeSpan.FromMinutes(2), $"{count} messages applied");
        await Eventually.Until(() => deliveries.Handled == deliveries.Count, Deadline, "every delivery is handled");
        Assert.Equal(count, deliveries.All.Select(d => d.MessageId).Distinct().Count());
        var twice = deliveries.All.GroupBy(d => d.MessageId).Count(g => g.Count() > 1);
        Assert.True(twice == 0, $"{twice} message(s) delivered more than once; {left} were left at the shutdown");
        await second.StopAsync();
        await receiver.StopAsync();
    }
}
