using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.TestHost.Messages;

using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class OutboxTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task Commit(EventStore store, Action<Session> work)
    {
        await using var session = await store.OpenSession(Guid.NewGuid(), CancellationToken.None);
        work(session);
        await session.Commit(CancellationToken.None);
    }

    private static Task<long> Applied(TestDatabase database) => database.Scalar<long>("select count(*) from mt_events where type <> 'tombstone'");

    [Fact]
    public async Task A_committed_message_is_published_with_its_row_id_and_the_row_is_removed()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries);
        Guid id = default;

        await Commit(database.Store(), s => id = s.Publish(new TestMessage(deliveries.RunId, 1)));

        await Eventually.Until(() => deliveries.Count == 1, Deadline, "the message is delivered");
        Assert.Equal(id, deliveries.All[0].MessageId);
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, Deadline, "the row is deleted");
        await host.StopAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Every_scheduled_row_of_a_commit_is_written_as_given_whether_one_row_or_several(int count)
    {
        await using var database = await TestDatabase.Create();
        var runId = Guid.NewGuid();
        var first = new DateTimeOffset(2027, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var scheduled = new List<(Guid Id, DateTimeOffset Due, string? Queue, int Number)>();
        await Commit(database.Store(), s =>
        {
            for (var number = 0; number < count; number++)
            {
                // Every other one to a named queue: a row without a destination beside rows with one.
                var (due, queue) = (first.AddMinutes(number), number % 2 == 0 ? null : "a-named-queue");
                scheduled.Add((s.Schedule(due, new TestMessage(runId, number), queue), due, queue, number));
            }
        });

        var written = new List<(Guid Id, DateTimeOffset Due, string? Queue, int Number)>();
        await using (var command = database.DataSource.CreateCommand(
            "select id, due_at, destination, (body::jsonb->>'number')::int from outbox where scheduled and messages = 1 and body::jsonb->>'runId' = $1 order by due_at"))
        {
            command.Parameters.Add(new() { Value = runId.ToString() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                written.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3)));
            }
        }
        Assert.Equal(scheduled, written);
    }

    [Fact]
    public async Task A_row_keeps_the_very_text_the_serializer_wrote_and_the_body_is_compressed_with_lz4()
    {
        await using var database = await TestDatabase.Create();
        var message = new TestMessage(Guid.NewGuid(), 7);
        Guid id = default;
        MessageMetadata metadata = null!;
        await Commit(database.Store(), s =>
        {
            id = s.Schedule(DateTimeOffset.UtcNow.AddDays(1), message);
            metadata = s.Metadata;
        });

        // jsonb would have parsed each row on insert and printed it again, its keys reordered, on every claim.
        await using (var command = database.DataSource.CreateCommand("select body, headers from outbox where id = $1"))
        {
            command.Parameters.Add(new() { Value = id });
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(
                (WireJson.Serialize(message), System.Text.Json.JsonSerializer.Serialize(metadata, Json.Options)),
                (reader.GetString(0), reader.GetString(1)));
        }
        Assert.Equal("lz4", await database.Scalar<string>(
            "select case attcompression when 'l' then 'lz4' when 'p' then 'pglz' else 'default' end from pg_attribute where attrelid = 'outbox'::regclass and attname = 'body'"));
    }

    [Fact]
    public async Task A_row_this_build_cannot_read_moves_to_the_refusals_and_does_not_hold_up_the_others()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        var poison = Guid.NewGuid();
        await using (var command = database.DataSource.CreateCommand(
            "insert into outbox (id, due_at, scheduled, message_type, body, headers, created_at) values ($1, now(), false, 'renamed-long-ago', '{}', '{}', now())"))
        {
            command.Parameters.Add(new() { Value = poison });
            await command.ExecuteNonQueryAsync();
        }
        using var host = await Hosts.Start(database, deliveries);

        await Commit(database.Store(), s => s.Publish(new TestMessage(deliveries.RunId, 1)));

        await Eventually.Until(() => deliveries.Count == 1, Deadline, "the readable message is delivered");
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, Deadline, "the outbox is empty");
        var refusal = Assert.Single(await RefusalLog.Latest(database.DataSource, 10, CancellationToken.None));
        Assert.Equal((poison, "renamed-long-ago", "Unpublishable"), (refusal.MessageId!.Value, refusal.MessageType, refusal.Code));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_message_sent_to_a_named_queue_reaches_that_queue()
    {
        await using var database = await TestDatabase.Create();
        var runId = Guid.NewGuid();
        var queue = $"es-test-send-{runId:N}"[..28];
        var received = new TaskCompletionSource<TestMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = await Hosts.Start(database);
        var bus = host.Services.GetRequiredService<IBus>();
        var handle = ((IBusControl)bus).ConnectReceiveEndpoint(queue, e =>
        {
            e.ConfigureConsumeTopology = false;
            e.Handler<TestMessage>(c =>
            {
                received.TrySetResult(c.Message);
                return Task.CompletedTask;
            });
        });
        await handle.Ready;

        await Commit(database.Store(), s => s.Send(queue, new TestMessage(runId, 42)));

        Assert.Equal(new TestMessage(runId, 42), await received.Task.WaitAsync(Deadline));
        await handle.StopAsync();
    }

    [Fact]
    public async Task A_redelivered_message_with_the_same_message_id_changes_nothing()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        using var host = await Hosts.Start(database, deliveries);
        var bus = host.Services.GetRequiredService<IBus>();
        var messageId = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            await bus.Publish(new TestMessage(deliveries.RunId, 1), c => c.MessageId = messageId);
        }

        await Eventually.Until(() => deliveries.Handled == 3, Deadline, "all three deliveries are handled");
        Assert.Equal(1L, await Applied(database));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from inbox where message_id = $1", messageId));
        await host.StopAsync();
    }

    [Fact]
    public async Task Two_relays_on_one_database_publish_ten_thousand_messages_each_exactly_once()
    {
        const int count = 10_000;
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        var receiverDatabase = await TestDatabase.Create();
        await using var _ = receiverDatabase;
        using var receiver = await Hosts.Start(receiverDatabase, deliveries);

        var store = database.Store();
        for (var batch = 0; batch < count / 500; batch++)
        {
            await Commit(store, s =>
            {
                for (var i = 1; i <= 500; i++)
                {
                    s.Publish(new TestMessage(deliveries.RunId, batch * 500 + i));
                }
            });
        }
        await using var relayA = ChildProcess.Start(database.Name, "relay");
        await using var relayB = ChildProcess.Start(database.Name, "relay");

        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, TimeSpan.FromMinutes(3), "both relays drain the outbox");
        await Eventually.Until(async () => await Applied(receiverDatabase) == count, TimeSpan.FromMinutes(2), $"{count} messages applied");
        Assert.Equal(count, deliveries.Count);
        Assert.Equal(count, deliveries.All.Select(d => d.MessageId).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, count), deliveries.All.Select(d => d.Message.Number).Order());
        Assert.False(relayA.HasExited || relayB.HasExited, $"a relay died:\n{relayA.Output}\n{relayB.Output}");
        await receiver.StopAsync();
    }

    [Fact]
    public async Task Dying_after_commit_and_before_publish_publishes_after_restart()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        await using var receiverDatabase = await TestDatabase.Create();
        using var receiver = await Hosts.Start(receiverDatabase, deliveries);

        await using (var writer = ChildProcess.Start(database.Name, "commit-and-die", deliveries.RunId.ToString(), "5"))
        {
            Assert.Equal(137, await writer.WaitForExit(Deadline));
            Assert.Contains("committed", writer.Output, StringComparison.Ordinal);
        }
        Assert.Equal(5L, await database.Scalar<long>("select count(*) from outbox"));
        Assert.Equal(0, deliveries.Count);

        await using var relay = ChildProcess.Start(database.Name, "relay");
        await Eventually.Until(async () => await Applied(receiverDatabase) == 5, Deadline, "the five messages are applied after the restart");
        Assert.Equal(5, deliveries.Count);
        await receiver.StopAsync();
    }

    [Fact]
    public async Task Dying_after_publish_and_before_the_row_is_removed_publishes_again_and_the_inbox_applies_once()
    {
        await using var database = await TestDatabase.Create();
        var deliveries = new Deliveries { RunId = Guid.NewGuid() };
        await using var receiverDatabase = await TestDatabase.Create();
        using var receiver = await Hosts.Start(receiverDatabase, deliveries);
        await Commit(database.Store(), s =>
        {
            for (var i = 1; i <= 3; i++)
            {
                s.Publish(new TestMessage(deliveries.RunId, i));
            }
        });

        // The dead relay's claim keeps its rows from others until its lease runs out: a short one (still longer than
        // the publish timeout, as the settings require) spares the test most of the default 30 s.
        var lease = TimeSpan.FromSeconds(6);
        var shortLease = new Dictionary<string, string>
        {
            [PlatformSettings.OutboxLeaseKey] = lease.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [PlatformSettings.OutboxPublishTimeoutKey] = "5",
        };
        await using (var dying = ChildProcess.Start(database.Name, shortLease, "relay", "--die-after-publish"))
        {
            Assert.Equal(137, await dying.WaitForExit(Deadline));
            Assert.Contains("dying", dying.Output, StringComparison.Ordinal);
        }
        Assert.Equal(3L, await database.Scalar<long>("select sum(messages) from outbox"));
        await Eventually.Until(() => deliveries.Count >= 1, Deadline, "the message published before the crash arrives");

        await using var relay = ChildProcess.Start(database.Name, "relay");
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox") == 0, lease + Deadline, "the restarted relay drains the outbox");
        await Eventually.Until(async () => await Applied(receiverDatabase) == 3, Deadline, "each message applied");
        await Eventually.Until(() => deliveries.Count >= 4, Deadline, "a message delivered twice");

        Assert.Equal(3L, await Applied(receiverDatabase));
        Assert.Contains(deliveries.All.GroupBy(d => d.MessageId), g => g.Count() == 2);
        await receiver.StopAsync();
    }
}
