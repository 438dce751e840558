using System.Collections.Concurrent;
using MassTransit;
using Xunit;

namespace Platform.Testing;

/// <summary>A provider's broker login, as RepairDispatch's admin API shows it once.</summary>
public sealed record ProviderLogin(string ProviderId, string User, string Password, string Queue, string ReportsExchange);

/// <summary>
/// A repair provider's own MassTransit bus, connected as its own broker user, as a provider's .NET client
/// would be: it listens on the provider's queue and sends reports to the provider's reports exchange,
/// each carrying the AMQP user_id the broker checks against the connection.
/// </summary>
public sealed class ProviderBus : IAsyncDisposable
{
    private readonly IBusControl bus;
    private readonly ConcurrentQueue<object> received = new();
    private HostReceiveEndpointHandle? queue;

    private ProviderBus(IBusControl bus, ProviderLogin login)
    {
        this.bus = bus;
        Login = login;
    }

    public ProviderLogin Login { get; }

    /// <summary>Connects as <paramref name="login"/>; <paramref name="listen"/> names what the provider's queue takes (nothing: it does not listen).</summary>
    public static async Task<ProviderBus> Start(TestEnvironment environment, ProviderLogin login, Action<Listener>? listen = null)
    {
        var settings = TestDatabase.Settings;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, environment.VirtualHost.Name, h =>
            {
                h.Username(login.User);
                h.Password(login.Password);
            });
            SignAs(cfg, login.User);
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var provider = new ProviderBus(bus, login);
        if (listen is not null)
        {
            provider.queue = bus.ConnectReceiveEndpoint(login.Queue, e =>
            {
                // Only what is sent to this queue; and no permission to declare anything else.
                e.ConfigureConsumeTopology = false;
                e.PublishFaults = false;
                listen(new Listener(e, provider.received));
            });
            // A permission missing leaves MassTransit retrying the topology for ever: a test fails instead of waiting with it.
            await provider.queue.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        }
        return provider;
    }

    /// <summary>
    /// Every message the bus sends carries <paramref name="user"/> as its AMQP user_id: the broker refuses one that is
    /// not the connection's user, and RepairDispatch a report without one.
    /// </summary>
    public static void SignAs(IRabbitMqBusFactoryConfigurator cfg, string user) =>
        cfg.ConfigureSend(send => send.UseExecute(context =>
        {
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.BasicProperties.UserId = user;
            }
        }));

    /// <summary>A password as RabbitMQ stores it (rabbit_password_hashing_sha256: a 4-byte salt, then SHA-256 of salt and password), for a seeded provider.</summary>
    public static string RabbitMqPasswordHash(string password)
    {
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(4);
        return Convert.ToBase64String([.. salt, .. System.Security.Cryptography.SHA256.HashData([.. salt, .. System.Text.Encoding.UTF8.GetBytes(password)])]);
    }

    /// <summary>What the provider's queue takes.</summary>
    public sealed class Listener(IReceiveEndpointConfigurator endpoint, ConcurrentQueue<object> received)
    {
        public Listener Take<T>() where T : class
        {
            endpoint.Handler<T>(context =>
            {
                received.Enqueue(context.Message);
                return Task.CompletedTask;
            });
            return this;
        }

        /// <summary>Answers what the provider's queue takes, as the provider's own code would, reporting on this bus.</summary>
        public Listener On<T>(Func<ConsumeContext<T>, Task> answer) where T : class
        {
            endpoint.Handler<T>(context => answer(context));
            return this;
        }
    }

    public IReadOnlyList<T> Received<T>() => [.. received.OfType<T>()];

    public async Task<T> WaitFor<T>(Func<T, bool> match, string description, int seconds = 30)
    {
        T? found = default;
        await Eventually.Until(() => (found = Received<T>().FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(seconds), description);
        Assert.NotNull(found);
        return found;
    }

    /// <summary>Sends a report as this provider, with <paramref name="messageId"/> when given.</summary>
    public async Task Report<T>(T report, Guid? messageId = null) where T : class
    {
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{Login.ReportsExchange}"));
        await endpoint.Send(report, context =>
        {
            if (messageId is { } id)
            {
                context.MessageId = id;
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (queue is not null)
        {
            await queue.StopAsync();
        }
        await bus.StopAsync();
    }
}
