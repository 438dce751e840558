using System.Collections.Concurrent;
using MassTransit;
using Xunit;

namespace Platform.Testing;

/// <summary>What a probe saw of one message.</summary>
public sealed record Observed<T>(T Message, Guid? MessageId, Guid? CorrelationId, string? TraceParent, DateTimeOffset At);

/// <summary>
/// A bus of the test's own in the environment's virtual host: it plays the outside world
/// (the trade system, providers), and observes what the services publish.
/// </summary>
public sealed class BusProbe : IAsyncDisposable
{
    private readonly IBusControl bus;
    private readonly ConcurrentDictionary<Type, ConcurrentQueue<object>> seen = new();
    private readonly List<HostReceiveEndpointHandle> endpoints = [];

    private BusProbe(IBusControl bus)
    {
        this.bus = bus;
    }

    public IBus Bus => bus;

    public static async Task<BusProbe> Start(TestEnvironment environment)
    {
        var settings = TestDatabase.Settings;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
            cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, environment.VirtualHost.Name, h =>
            {
                h.Username(settings.RabbitUser);
                h.Password(settings.RabbitPassword);
            }));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return new BusProbe(bus);
    }

    /// <summary>Starts collecting every published <typeparamref name="T"/>; call before the messages are published.</summary>
    public async Task Observe<T>() where T : class
    {
        var queue = seen.GetOrAdd(typeof(T), _ => new ConcurrentQueue<object>());
        var handle = bus.ConnectReceiveEndpoint($"probe-{typeof(T).Name}-{Guid.NewGuid():N}", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            e.Handler<T>(context =>
            {
                queue.Enqueue(new Observed<T>(context.Message, context.MessageId, context.CorrelationId,
                    context.Headers.Get<string>("traceparent") ?? context.Headers.Get<string>("Diagnostic-Id"), DateTimeOffset.UtcNow));
                return Task.CompletedTask;
            });
        });
        await handle.Ready;
        endpoints.Add(handle);
    }

    /// <summary>Also listens on a named queue, as a provider's own queue: sent messages land there.</summary>
    public async Task ObserveQueue<T>(string queueName) where T : class
    {
        var queue = seen.GetOrAdd(typeof(T), _ => new ConcurrentQueue<object>());
        var handle = bus.ConnectReceiveEndpoint(queueName, e =>
        {
            e.ConfigureConsumeTopology = false;
            e.Handler<T>(context =>
            {
                queue.Enqueue(new Observed<T>(context.Message, context.MessageId, context.CorrelationId, null, DateTimeOffset.UtcNow));
                return Task.CompletedTask;
            });
        });
        await handle.Ready;
        endpoints.Add(handle);
    }

    public IReadOnlyList<Observed<T>> Received<T>() where T : class =>
        seen.TryGetValue(typeof(T), out var queue) ? [.. queue.Cast<Observed<T>>()] : [];

    /// <summary>Waits for a message that matches; fails with the description at the deadline.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match, TimeSpan timeout, string description) where T : class
    {
        Assert.True(seen.ContainsKey(typeof(T)), $"Observe<{typeof(T).Name}>() first");
        Observed<T>? found = null;
        await Eventually.Until(() => (found = Received<T>().FirstOrDefault(o => match(o.Message))) is not null, timeout, description);
        return found!.Message;
    }

    public Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        bus.Publish(message, context =>
        {
            if (messageId is { } id)
            {
                context.MessageId = id;
            }
        });

    public async Task Send<T>(string queue, T message, Guid? messageId = null) where T : class =>
        await (await bus.GetSendEndpoint(new Uri($"queue:{queue}"))).Send(message, context =>
        {
            if (messageId is { } id)
            {
                context.MessageId = id;
            }
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in endpoints)
        {
            await endpoint.StopAsync();
        }
        await bus.StopAsync();
    }
}
