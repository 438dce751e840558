using System.Net;
using System.Net.Sockets;
using Testcontainers.RabbitMq;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// A RabbitMQ container of one test's own, for a test that stops and starts the broker: the other
/// tests keep theirs, and the host's servers are never touched. Its ports are fixed for its life,
/// because Docker gives a container published on random ports new ones when it starts again.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly RabbitMqContainer container;

    private TestBroker(RabbitMqContainer container, int port)
    {
        this.container = container;
        Settings = new Dictionary<string, string?>
        {
            ["PLATFORM_RABBITMQ_HOST"] = container.Hostname,
            ["PLATFORM_RABBITMQ_PORT"] = port.ToString(),
            ["PLATFORM_RABBITMQ_USER"] = User,
            ["PLATFORM_RABBITMQ_PASSWORD"] = User,
        };
    }

    private const string User = "platform";

    /// <summary>The broker as PLATFORM_RABBITMQ_* settings, for a host's configuration.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<TestBroker> Start()
    {
        var source = Assert.IsType<ServerSource.Containers>(TestServers.Source);
        var port = FreePort();
        var builder = new RabbitMqBuilder(source.RabbitMqImage)
            .WithDockerEndpoint(source.DockerEndpoint)
            .WithUsername(User)
            .WithPassword(User)
            .WithPortBinding(port, RabbitMqBuilder.RabbitMqPort);
        // Where no reaper runs, the run's label lets deploy/test.sh remove it should the test process be killed.
        var container = (source.SharedRun is { } run ? builder.WithLabel(TestServers.RunLabel, run) : builder).Build();
        await container.StartAsync();
        return new TestBroker(container, port);
    }

    /// <summary>Stops the broker's container: every connection to it drops, as when the server goes down.</summary>
    public Task Stop() => container.StopAsync();

    /// <summary>Starts the container again on the same port; clients must find their way back on their own.</summary>
    public Task Restart() => container.StartAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => container.DisposeAsync();
}
