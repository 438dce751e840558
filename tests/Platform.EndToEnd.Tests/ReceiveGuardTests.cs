using System.Text;
using MassTransit;
using Platform.ServiceDefaults;
using Platform.Testing;
using RabbitMQ.Client;

namespace Platform.EndToEnd.Tests;

public sealed record GuardedMessage(int Number);

/// <summary>
/// The endpoint defaults send a message no consumer takes to _error, deciding so only once the message's
/// consumers are done with it: a batch consumer takes a message now and consumes it with its batch later.
/// </summary>
public sealed class ReceiveGuardTests
{
    private sealed class BatchCounter(List<int> batches) : IConsumer<Batch<GuardedMessage>>
    {
        public Task Consume(ConsumeContext<Batch<GuardedMessage>> context)
        {
            lock (batches)
            {
                batches.Add(context.Message.Length);
            }
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Messages_a_batch_consumer_takes_are_consumed_and_only_the_one_no_consumer_takes_goes_to_error()
    {
        await using var virtualHost = await TestVirtualHost.Create();
        var settings = TestDatabase.Settings with { RabbitVirtualHost = virtualHost.Name };
        var batches = new List<int>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, settings.RabbitVirtualHost, h =>
            {
                h.Username(settings.RabbitUser);
                h.Password(settings.RabbitPassword);
            });
            cfg.ReceiveEndpoint("guarded", e =>
            {
                new EndpointDefaults(quorumQueues: false).Apply(e);
                e.Consumer(() => new BatchCounter(batches), c => c.Options<BatchOptions>(o => o.SetMessageLimit(10).SetTimeLimit(TimeSpan.FromMilliseconds(500))));
            });
        });
        await bus.StartAsync();
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:guarded"));
            foreach (var number in Enumerable.Range(1, 5))
            {
                await endpoint.Send(new GuardedMessage(number));
            }
            var factory = new ConnectionFactory
            {
                HostName = settings.RabbitHost, Port = settings.RabbitPort, UserName = settings.RabbitUser,
                Password = settings.RabbitPassword, VirtualHost = settings.RabbitVirtualHost,
            };
            await using (var connection = await factory.CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                var unknown = $$"""{"messageId": "{{Guid.NewGuid()}}", "messageType": ["urn:message:Nobody.Knows:ThisType"], "message": {} }""";
                await channel.BasicPublishAsync(string.Empty, "guarded", mandatory: true,
                    new BasicProperties { ContentType = "application/vnd.masstransit+json" }, Encoding.UTF8.GetBytes(unknown));
            }

            var errors = new ErrorQueues(settings, TestServers.Current.ManagementPort);
            await Eventually.Until(async () => (await errors.List(CancellationToken.None)).Any(q => q is { Queue: "guarded_error", Messages: >= 1 }),
                TimeSpan.FromSeconds(30), "the message of a type no consumer takes reaches _error");
            await Eventually.Until(() => { lock (batches) { return batches.Sum() == 5; } }, TimeSpan.FromSeconds(30), "the batch consumer consumes all five");
            var dead = await errors.Peek("guarded_error", 10, CancellationToken.None);
            var only = Assert.Single(dead);
            Assert.Contains("Nobody.Knows:ThisType", only.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
