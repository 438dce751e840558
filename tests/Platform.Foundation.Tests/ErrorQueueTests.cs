using MassTransit;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.TestHost.Messages;

namespace Platform.Foundation.Tests;

public sealed class ErrorQueueTests
{
    [Fact]
    public async Task A_faulted_message_is_listed_with_its_reason_and_after_the_fix_moved_back_and_consumed_once()
    {
        await using var virtualHost = await TestVirtualHost.Create();
        var settings = TestDatabase.Settings with { RabbitVirtualHost = virtualHost.Name };
        var broken = true;
        var consumed = 0;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, settings.RabbitVirtualHost, h =>
            {
                h.Username(settings.RabbitUser);
                h.Password(settings.RabbitPassword);
            });
            cfg.ReceiveEndpoint("warranty-claim-filed", e => e.Handler<TestMessage>(_ =>
            {
                if (Volatile.Read(ref broken))
                {
                    throw new InvalidOperationException("claim policy table missing category 'drones'");
                }
                Interlocked.Increment(ref consumed);
                return Task.CompletedTask;
            }));
        });
        await bus.StartAsync();
        try
        {
            var queues = new ErrorQueues(settings, TestServers.Current.ManagementPort);
            var messageId = Guid.NewGuid();
            await bus.Publish(new TestMessage(Guid.NewGuid(), 1), c => c.MessageId = messageId);

            await Eventually.Until(async () => (await queues.List(CancellationToken.None)).Any(q => q is { Queue: "warranty-claim-filed_error", Messages: 1 }),
                TimeSpan.FromSeconds(30), "the message is dead-lettered");
            var faulted = Assert.Single(await queues.Peek("warranty-claim-filed_error", 10, CancellationToken.None));
            Assert.Equal(messageId.ToString(), faulted.MessageId);
            Assert.Equal("System.InvalidOperationException", faulted.ExceptionType);
            Assert.Contains("category 'drones'", faulted.Reason, StringComparison.Ordinal);
            Assert.Contains(nameof(TestMessage), faulted.MessageType, StringComparison.Ordinal);
            Assert.Contains((await queues.List(CancellationToken.None)), q => q is { Queue: "warranty-claim-filed_error", Messages: 1 });

            Volatile.Write(ref broken, false);
            Assert.Equal(1, await queues.MoveBack("warranty-claim-filed_error", 10, CancellationToken.None));

            await Eventually.Until(() => Volatile.Read(ref consumed) == 1, TimeSpan.FromSeconds(30), "the moved message is consumed");
            await Eventually.Until(async () => (await queues.List(CancellationToken.None)).Single(q => q.Queue == "warranty-claim-filed_error").Messages == 0,
                TimeSpan.FromSeconds(30), "the error queue is empty");
            await Assert.ThrowsAsync<ArgumentException>(() => queues.MoveBack("warranty-claim-filed", 1, CancellationToken.None));
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
