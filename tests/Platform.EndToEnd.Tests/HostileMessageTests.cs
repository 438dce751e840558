using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Arbitration.Service;
using Order.Service;
using Platform.Cli;
using Platform.Testing;
using RabbitMQ.Client;
using RepairDispatch.Service;
using Warranty.Service;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Every queue the four services consume from gets what a broken or hostile publisher sends: not
/// JSON, a type no consumer knows, wrong types, missing fields, 10 MB. Each is dead-lettered, in
/// _error when a consumer failed on it or in _skipped when no consumer of the queue could read it,
/// and the operators' listing gives each its reason. No service crashes; nothing is half written.
/// </summary>
public sealed class HostileMessageTests : IAsyncLifetime
{
    private readonly Dictionary<string, RunningService> services = new(StringComparer.Ordinal);
    private TestEnvironment env = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        services["order"] = await RunningService.Start(OrderService.Create, env, "order");
        services["warranty"] = await RunningService.Start(WarrantyService.Create, env, "warranty");
        services["repairdispatch"] = await RunningService.Start(RepairDispatchService.Create, env, "repairdispatch");
        services["arbitration"] = await RunningService.Start(ArbitrationService.Create, env, "arbitration");
    }

    public async Task DisposeAsync()
    {
        foreach (var service in services.Values)
        {
            await service.DisposeAsync();
        }
        await env.DisposeAsync();
    }

    [Fact]
    public async Task Each_hostile_message_on_each_queue_is_dead_lettered_with_its_reason_and_changes_nothing()
    {
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var meters = new System.Diagnostics.Metrics.MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Platform.ServiceDefaults.DeadLetters.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            if (all["address"]!.Contains(env.VirtualHost.Name, StringComparison.Ordinal))
            {
                counted.AddOrUpdate($"{all["queue"]}_{all["destination"]}", value, (_, total) => total + value);
            }
        });
        meters.Start();

        var settings = TestDatabase.Settings with { RabbitVirtualHost = env.VirtualHost.Name };
        using var management = Management(settings);
        var queues = (await management.GetFromJsonAsync<JsonElement>($"api/queues/{env.VirtualHost.Name}?columns=name"))
            .EnumerateArray().Select(q => q.GetProperty("name").GetString()!)
            .Where(q => services.Keys.Any(s => q.StartsWith(s + "-", StringComparison.Ordinal)) && !q.EndsWith("_error", StringComparison.Ordinal))
            .Order().ToList();
        Assert.True(queues.Count >= 15, $"only {queues.Count} service queues found: {string.Join(", ", queues)}");

        var factory = new ConnectionFactory
        {
            HostName = settings.RabbitHost, Port = settings.RabbitPort, UserName = settings.RabbitUser,
            Password = settings.RabbitPassword, VirtualHost = settings.RabbitVirtualHost,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            var type = await BoundMessageType(management, env.VirtualHost.Name, queue) ?? "urn:message:Platform.Contracts.Repair.V1:CustomerContacted";
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, Properties(),
                Encoding.UTF8.GetBytes(Envelope("urn:message:Nobody.Knows:ThisType", """{"anything": 1}""")));
            string[] bodies =
            [
                "{ this is not json",
                Envelope(type, """{"orderId": 12, "lineId": {}, "claimId": "not-a-guid", "lines": "none", "completedAt": true}"""),
                Envelope(type, "{}"),
                Envelope(type, "{\"orderId\": \"" + new string('x', 10 * 1024 * 1024) + "\"}"),
            ];
            foreach (var body in bodies)
            {
                await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, Properties(), Encoding.UTF8.GetBytes(body));
            }
            sent[queue] = bodies.Length;
        }

        var errors = new ErrorQueues(settings);
        var counts = new Dictionary<string, long>();
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        long DeadLettered(string queue) => counts.GetValueOrDefault(queue + "_error") + counts.GetValueOrDefault(queue + "_skipped");
        while (!sent.All(s => DeadLettered(s.Key) == s.Value + 1))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                var all = (await management.GetFromJsonAsync<JsonElement>($"api/queues/{env.VirtualHost.Name}?columns=name,messages")).EnumerateArray()
                    .Select(q => $"{q.GetProperty("name").GetString()}={(q.TryGetProperty("messages", out var m) ? m.ToString() : "?")}");
                Assert.Fail("not every hostile message reached its queue's _error: " +
                    string.Join(", ", sent.Select(s => $"{s.Key}: {DeadLettered(s.Key)}/{s.Value + 1}")) + "\nqueues: " + string.Join(", ", all));
            }
            await Task.Delay(500);
            counts = (await errors.List(CancellationToken.None)).ToDictionary(q => q.Queue, q => q.Messages);
        }

        foreach (var queue in queues)
        {
            var deadLettered = (await errors.Peek(queue + "_error", 10, CancellationToken.None))
                .Concat(counts.ContainsKey(queue + "_skipped") ? await errors.Peek(queue + "_skipped", 10, CancellationToken.None) : []).ToList();
            Assert.Equal(sent[queue] + 1, deadLettered.Count);
            Assert.All(deadLettered, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason), $"{queue}: a dead-lettered message without a reason"));
            Assert.Contains(deadLettered, f => f.Queue.EndsWith("_skipped", StringComparison.Ordinal) && f.Reason!.Contains("Nobody.Knows:ThisType", StringComparison.Ordinal));
            Assert.Contains(deadLettered, f => f.Queue.EndsWith("_error", StringComparison.Ordinal) && f.BodyPreview.StartsWith("{ this is not json", StringComparison.Ordinal));
        }
        // The metric counts what the queues hold: every dead-lettered message, by queue and destination.
        foreach (var (queue, count) in counts.Where(c => c.Key.EndsWith("_error", StringComparison.Ordinal) || c.Key.EndsWith("_skipped", StringComparison.Ordinal)))
        {
            Assert.True(counted.GetValueOrDefault(queue) == count, $"{queue} holds {count} but platform.messages.dead_lettered counted {counted.GetValueOrDefault(queue)}");
        }
        foreach (var (name, service) in services)
        {
            using var ready = await service.Anonymous().GetAsync("/health/ready");
            Assert.True(ready.IsSuccessStatusCode, $"{name} is not ready after the hostile messages");
            var database = await env.Database(name);
            Assert.Equal(0L, await database.Scalar<long>("select count(*) from events"));
            Assert.Equal(0L, await database.Scalar<long>("select count(*) from inbox"));
        }
    }

    private static BasicProperties Properties() =>
        new() { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true };

    private static string Envelope(string messageType, string message) =>
        $$"""{"messageId": "{{Guid.NewGuid()}}", "messageType": ["{{messageType}}"], "message": {{message}}}""";

    /// <summary>The contract a queue is bound to, read from its bindings (exchange "Namespace:Type").</summary>
    private static async Task<string?> BoundMessageType(HttpClient management, string virtualHost, string queue)
    {
        var bindings = await management.GetFromJsonAsync<JsonElement>($"api/queues/{virtualHost}/{queue}/bindings");
        return bindings.EnumerateArray().Select(b => b.GetProperty("source").GetString()!)
            .Where(source => source.StartsWith("Platform.Contracts.", StringComparison.Ordinal))
            .Select(source => "urn:message:" + source)
            .FirstOrDefault();
    }

    private static HttpClient Management(Platform.ServiceDefaults.PlatformSettings settings)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{settings.RabbitHost}:15672/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.RabbitUser}:{settings.RabbitPassword}")));
        return client;
    }
}
