using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.ServiceDefaults;
using Platform.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Every queue the four services consume from gets what a broken or hostile publisher sends: not
/// JSON, a type no consumer knows, wrong types, missing fields, 10 MB. Each lands in the queue's
/// _error with the reason it was refused for (nothing in _skipped, which keeps none), and the
/// operators' command lists that reason. No service crashes; nothing is half written.
/// </summary>
public sealed class HostileMessageTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Queues bound to no exchange, which take only what is sent to them by name, and a type each takes.</summary>
    private static readonly Dictionary<string, string> SentByName = new(StringComparer.Ordinal)
    {
        ["repairdispatch-provider-reports"] = "urn:message:Platform.Contracts.Repair.V1:CustomerContacted",
        ["warranty-payment-results"] = "urn:message:Platform.Contracts.Payments.V1:PaymentConfirmed",
        ["arbitration-payment-results"] = "urn:message:Platform.Contracts.Payments.V1:PaymentConfirmed",
    };

    private const string UnknownType = "urn:message:Nobody.Knows:ThisType";
    private Dictionary<string, RunningService> services = null!;
    private TestEnvironment env = null!;

    private enum Hostile
    {
        NotJson,
        UnknownType,
        WrongTypes,
        MissingFields,
        TenMegabytes,
    }

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        services = await PlatformServices.Start(env);
    }

    public async Task DisposeAsync()
    {
        await PlatformServices.Stop(services.Values);
        await env.DisposeAsync();
    }

    [Fact]
    public async Task Each_hostile_message_on_each_queue_goes_to_its_error_queue_with_its_reason_and_changes_nothing()
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
        using var management = TestVirtualHost.CreateManagementClient();
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
        // Reports come as a hostile provider sends them: as its own broker user, to its own reports exchange.
        using var op = services["repairdispatch"].As(Platform.ServiceDefaults.PlatformRoles.Operator, "ops-1");
        using var registered = await op.PostAsJsonAsync("/providers", new { id = "hostile-provider", regions = new[] { "990000" }, categories = new[] { "phones" }, capacity = 1 });
        Assert.True(registered.IsSuccessStatusCode, $"registering the hostile provider: {(int)registered.StatusCode}");
        var broker = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("brokerCredentials");
        var provider = (User: broker.GetProperty("user").GetString()!, Exchange: broker.GetProperty("reportsExchange").GetString()!);
        await using var providerConnection = await new ConnectionFactory
        {
            HostName = settings.RabbitHost, Port = settings.RabbitPort, UserName = provider.User,
            Password = broker.GetProperty("password").GetString()!, VirtualHost = settings.RabbitVirtualHost,
        }.CreateConnectionAsync();
        await using var providerChannel = await providerConnection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var sent = new Dictionary<string, (string Queue, Hostile Kind)>(StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            var type = await BoundMessageType(management, env.VirtualHost.Name, queue) ?? SentByName.GetValueOrDefault(queue);
            Assert.True(type is not null, $"{queue} is bound to no message type");
            var bodies = new Dictionary<Hostile, string>
            {
                [Hostile.NotJson] = "{ this is not json",
                [Hostile.UnknownType] = Envelope(UnknownType, """{"anything": 1}"""),
                [Hostile.WrongTypes] = Envelope(type, """{"orderId": 12, "lineId": {}, "claimId": "not-a-guid", "lines": "none", "completedAt": true}"""),
                [Hostile.MissingFields] = Envelope(type, "{}"),
                [Hostile.TenMegabytes] = Envelope(type, "{\"orderId\": \"" + new string('x', 10 * 1024 * 1024) + "\"}"),
            };
            foreach (var (kind, body) in bodies)
            {
                var properties = Properties();
                sent[properties.MessageId!] = (queue, kind);
                if (queue == "repairdispatch-provider-reports")
                {
                    properties.UserId = provider.User;
                    await providerChannel.BasicPublishAsync(provider.Exchange, string.Empty, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
                }
                else
                {
                    await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
                }
            }
        }

        var errors = new ErrorQueues(settings, TestServers.Current.ManagementPort);
        var counts = new Dictionary<string, long>();
        var perQueue = Enum.GetValues<Hostile>().Length;
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (!queues.All(q => counts.GetValueOrDefault(q + "_error") == perQueue))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                var all = (await management.GetFromJsonAsync<JsonElement>($"api/queues/{env.VirtualHost.Name}?columns=name,messages")).EnumerateArray()
                    .Select(q => $"{q.GetProperty("name").GetString()}={(q.TryGetProperty("messages", out var m) ? m.ToString() : "?")}");
                Assert.Fail("not every hostile message reached its queue's _error: " +
                    string.Join(", ", queues.Select(q => $"{q}: {counts.GetValueOrDefault(q + "_error")}/{perQueue}")) + "\nqueues: " + string.Join(", ", all));
            }
            await Task.Delay(500);
            counts = (await errors.List(CancellationToken.None)).ToDictionary(q => q.Queue, q => q.Messages);
        }
        Assert.All(counts.Where(c => c.Key.EndsWith("_skipped", StringComparison.Ordinal)), c => Assert.Equal(0, c.Value));

        var reasons = new HashSet<(Hostile, string?)>();
        foreach (var queue in queues)
        {
            var listed = await errors.Peek(queue + "_error", 2 * perQueue, CancellationToken.None);
            Assert.Equal(perQueue, listed.Count);
            foreach (var message in listed)
            {
                Assert.True(message.MessageId is not null && sent.TryGetValue(message.MessageId, out var origin) && origin.Queue == queue,
                    $"{queue}_error holds a message that was not sent to {queue}: {message.MessageId}");
                var kind = sent[message.MessageId].Kind;
                Assert.False(string.IsNullOrWhiteSpace(message.Reason), $"{queue}: the {kind} message has no reason");
                Assert.False(string.IsNullOrWhiteSpace(message.ExceptionType), $"{queue}: the {kind} message names no exception");
                var exception = message.ExceptionType;
                var reason = message.Reason!;
                // Each is refused for what is wrong with it: a hostile message of the queue's own type is
                // read as that type and fails on its body, not waved off as a type the queue does not take.
                var refusedForItself = kind switch
                {
                    Hostile.NotJson => exception!.Contains("Json", StringComparison.Ordinal),
                    Hostile.UnknownType => exception == typeof(MassTransit.MessageNotConsumedException).FullName
                        && reason.Contains(UnknownType, StringComparison.Ordinal) && reason.Contains("No consumer of " + queue, StringComparison.Ordinal),
                    Hostile.WrongTypes => exception!.StartsWith("System.", StringComparison.Ordinal) && !reason.Contains("No consumer", StringComparison.Ordinal),
                    Hostile.MissingFields => reason.Contains("missing required properties", StringComparison.Ordinal),
                    Hostile.TenMegabytes => exception == typeof(Platform.ServiceDefaults.MessageTooLargeException).FullName && reason.Contains("at most", StringComparison.Ordinal),
                    _ => false,
                };
                Assert.True(refusedForItself, $"{queue}: the {kind} message's reason is not what is wrong with it: {exception}: {reason}");
                reasons.Add((kind, exception));
            }
        }
        foreach (var (kind, exception) in reasons.Order())
        {
            output.WriteLine($"{kind}: {exception}");
        }

        // The metric counts what the queues hold: every dead-lettered message, by queue and destination.
        foreach (var (queue, count) in counts.Where(c => c.Key.EndsWith("_error", StringComparison.Ordinal) || c.Key.EndsWith("_skipped", StringComparison.Ordinal)))
        {
            Assert.True(counted.GetValueOrDefault(queue) == count, $"{queue} holds {count} but platform.messages.dead_lettered counted {counted.GetValueOrDefault(queue)}");
        }

        // The operator's command lists every one with its reason, and moves a queue's back: none is lost, and
        // as nothing was fixed each fails again, for the same reason, with no harm done.
        var listing = await PlatformCommand("errors", "list", "--max", "10");
        foreach (var queue in queues)
        {
            Assert.Contains($"{queue}_error: {perQueue} message(s)", listing, StringComparison.Ordinal);
        }
        Assert.Contains($"{typeof(MassTransit.MessageNotConsumedException).FullName}: ", listing, StringComparison.Ordinal);
        Assert.Contains(UnknownType, listing, StringComparison.Ordinal);
        Assert.Contains("missing required properties", listing, StringComparison.Ordinal);
        Assert.Equal($"moved {perQueue} message(s) back", (await PlatformCommand("errors", "move", "order-trade-events_error")).Trim());
        await Eventually.Until(() => counted.GetValueOrDefault("order-trade-events_error") == 2 * perQueue,
            TimeSpan.FromSeconds(60), "the moved messages are received again and fail again");
        // Read from the queue itself: the management API's counts lag behind it by seconds. The metric counts a
        // message before MassTransit moves it, so the last one may still be on its way to _error.
        var back = 0;
        await Eventually.Until(async () =>
        {
            back = (await errors.Peek("order-trade-events_error", 2 * perQueue, CancellationToken.None))
                .Count(m => m.MessageId is not null && sent.ContainsKey(m.MessageId) && !string.IsNullOrWhiteSpace(m.Reason));
            return back >= perQueue;
        }, TimeSpan.FromSeconds(30), "the moved messages are back in order-trade-events_error with their reasons");
        Assert.Equal(perQueue, back);

        foreach (var (name, service) in services)
        {
            using var ready = await service.Anonymous().GetAsync("/health/ready");
            Assert.True(ready.IsSuccessStatusCode, $"{name} is not ready after the hostile messages");
            var database = await env.Database(name);
            // The hostile provider's registration is the one event.
            Assert.Equal(0L, await database.Scalar<long>("select count(*) from mt_events where type not in ('tombstone', 'repairdispatch.provider-registered')"));
            Assert.Equal(0L, await database.Scalar<long>("select count(*) from inbox"));
            Assert.Equal(0L, await database.Scalar<long>("select count(*) from outbox"));
            Assert.Equal(0L, await database.Scalar<long>("select count(*) from refusals"));
        }
    }

    /// <summary>Runs the operators' command, platform, against this test's virtual host; fails unless it exits 0.</summary>
    private async Task<string> PlatformCommand(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "platform.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in TestServers.Current.BrokerOnItsOwnPorts)
        {
            info.Environment[key] = value;
        }
        info.Environment["PLATFORM_RABBITMQ_VHOST"] = env.VirtualHost.Name;
        using var process = Process.Start(info)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"platform {string.Join(' ', arguments)} exited with {process.ExitCode}: {await standardError}");
        return await standardOutput;
    }

    private static BasicProperties Properties() =>
        new() { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true };

    private static string Envelope(string messageType, string message) =>
        $$"""{"messageId": "{{Guid.NewGuid()}}", "messageType": ["{{messageType}}"], "message": {{message}}}""";

    /// <summary>
    /// The contract a queue takes: MassTransit binds each message type's exchange to an exchange named
    /// after the queue, which is bound to the queue. A queue bound to no type takes what is sent to it.
    /// </summary>
    private static async Task<string?> BoundMessageType(HttpClient management, string virtualHost, string queue)
    {
        using var response = await management.GetAsync($"api/exchanges/{virtualHost}/{queue}/bindings/destination");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var bindings = await response.Content.ReadFromJsonAsync<JsonElement>();
        return bindings.EnumerateArray().Select(b => b.GetProperty("source").GetString()!)
            .Where(source => source.StartsWith("Platform.Contracts.", StringComparison.Ordinal))
            .Select(source => "urn:message:" + source)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
