using System.Diagnostics;
using System.Net.Sockets;
using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Platform.Testing;

/// <summary>Where the servers of a test process come from.</summary>
public abstract record ServerSource
{
    /// <summary>Throw-away PostgreSQL and RabbitMQ containers on the Docker engine at <paramref name="DockerEndpoint"/>.</summary>
    /// <param name="SharedRun">
    /// When set, every test process of the same run reuses the same two containers and leaves them
    /// running for the next (deploy/test.sh removes its run's at its end). Otherwise each process has
    /// its own, which Testcontainers' reaper removes when the process ends.
    /// </param>
    public sealed record Containers(Uri DockerEndpoint, string PostgresImage, string RabbitMqImage, string? SharedRun) : ServerSource;

    /// <summary>Servers that already run, named by the PLATFORM_PG_* and PLATFORM_RABBITMQ_* settings.</summary>
    public sealed record Running(IReadOnlyDictionary<string, string?> Settings) : ServerSource;
}

/// <summary>
/// The PostgreSQL and RabbitMQ of this test process, decided once: containers when a Docker engine
/// answers, else the servers the environment's settings name; with neither, every test fails at once
/// with one line that says what to do, rather than with a pile of connection errors. Tests isolate
/// themselves by database and virtual host, so one server of each kind serves the whole process.
/// </summary>
public sealed class TestServers
{
    /// <summary><c>environment</c>: use the PLATFORM_* settings (deploy/env.sh's defaults) even where Docker answers.</summary>
    public const string SourceVariable = "PLATFORM_TEST_SERVERS";
    public const string PostgresImageVariable = "PLATFORM_TEST_POSTGRES_IMAGE";
    public const string RabbitMqImageVariable = "PLATFORM_TEST_RABBITMQ_IMAGE";
    public const string SharedRunVariable = "PLATFORM_TEST_SHARED_RUN";
    public const string LogVariable = "PLATFORM_TEST_SERVERS_LOG";
    public const string RunLabel = "platform-test-run";
    public const int RabbitMqManagementPort = 15672;

    private static readonly string[] ServerKeys =
    [
        "PLATFORM_PG_HOST", "PLATFORM_PG_PORT", "PLATFORM_PG_USER", "PLATFORM_PG_PASSWORD",
        "PLATFORM_RABBITMQ_HOST", "PLATFORM_RABBITMQ_PORT", "PLATFORM_RABBITMQ_USER", "PLATFORM_RABBITMQ_PASSWORD", "PLATFORM_RABBITMQ_MANAGEMENT_PORT",
    ];

    // Task.Run: the first caller may be a test on xunit's synchronisation context, which must not wait on itself.
    private static readonly Lazy<ServerSource> Decision = new(() => Task.Run(() => Decide(System.Environment.GetEnvironmentVariable)).GetAwaiter().GetResult());
    private static readonly Lazy<TestServers> Started = new(() => Task.Run(() => Start(Decision.Value)).GetAwaiter().GetResult());

    private TestServers(IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string?>? brokerOnItsOwnPorts = null)
    {
        Values = settings;
        BrokerOnItsOwnPorts = brokerOnItsOwnPorts ?? settings;
        Settings = PlatformSettings.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        ManagementPort = int.Parse(settings["PLATFORM_RABBITMQ_MANAGEMENT_PORT"] ?? RabbitMqManagementPort.ToString());
    }

    /// <summary>The servers of this process, started or found on first use.</summary>
    public static TestServers Current => Started.Value;

    /// <summary>The decision alone, without starting anything; null when there are no servers to be had.</summary>
    public static ServerSource? Source
    {
        get
        {
            try
            {
                return Decision.Value;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    public PlatformSettings Settings { get; }
    public int ManagementPort { get; }

    /// <summary>The servers as PLATFORM_* settings, for a host's configuration or a child process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <summary>
    /// The broker as PLATFORM_RABBITMQ_* settings on its own ports (5672, management 15672), for the
    /// operators' command, which has no setting for a management port other than 15672: a container
    /// is reached at its address on Docker's bridge, which this (Linux) machine routes to directly.
    /// </summary>
    public IReadOnlyDictionary<string, string?> BrokerOnItsOwnPorts { get; }

    /// <summary>For programs that measure this host's servers (the benchmarks): the PLATFORM_* settings, wherever Docker answers.</summary>
    public static void UseEnvironmentSettings() => System.Environment.SetEnvironmentVariable(SourceVariable, "environment");

    /// <summary>Decides where the servers come from, reading settings through <paramref name="environment"/>; throws the one-line message when nowhere.</summary>
    public static async Task<ServerSource> Decide(Func<string, string?> environment)
    {
        if (string.Equals(environment(SourceVariable), "environment", StringComparison.OrdinalIgnoreCase))
        {
            return new ServerSource.Running(ServerKeys.ToDictionary(key => key, environment));
        }
        var docker = new Uri(environment("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock");
        if (await DockerAnswers(docker))
        {
            return new ServerSource.Containers(docker,
                environment(PostgresImageVariable) ?? "postgres:15",
                environment(RabbitMqImageVariable) ?? "rabbitmq:3-management",
                // VSTest kills the test process when its tests are done, so without the reaper nothing would
                // remove a process's containers: they are kept for the next process instead of piling up.
                environment(SharedRunVariable) ?? (string.Equals(environment("TESTCONTAINERS_RYUK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase) ? "local" : null));
        }
        if (environment("PLATFORM_PG_HOST") is { Length: > 0 } && environment("PLATFORM_RABBITMQ_HOST") is { Length: > 0 })
        {
            return new ServerSource.Running(ServerKeys.ToDictionary(key => key, environment));
        }
        throw new InvalidOperationException(
            $"No servers for the tests: no Docker engine answers at {docker} and PLATFORM_PG_HOST / PLATFORM_RABBITMQ_HOST are not set; " +
            "start Docker (or set DOCKER_HOST), or run `bash deploy/servers.sh && source deploy/env.sh` first, or run everything with `bash deploy/test.sh`.");
    }

    private static async Task<TestServers> Start(ServerSource source)
    {
        var started = Stopwatch.StartNew();
        TestServers servers;
        string description;
        if (source is ServerSource.Containers containers)
        {
            servers = await StartContainers(containers);
            description = $"Testcontainers on {containers.DockerEndpoint}{(containers.SharedRun is null ? "" : $", shared by run {containers.SharedRun}")}: " +
                $"PostgreSQL {containers.PostgresImage} at {servers.Settings.PgHost}:{servers.Settings.PgPort}, " +
                $"RabbitMQ {containers.RabbitMqImage} at {servers.Settings.RabbitHost}:{servers.Settings.RabbitPort} (management {servers.ManagementPort})";
        }
        else
        {
            servers = new TestServers(((ServerSource.Running)source).Settings);
            await Answers(servers.Settings.PgHost, servers.Settings.PgPort, "PostgreSQL", "PLATFORM_PG_HOST / PLATFORM_PG_PORT");
            await Answers(servers.Settings.RabbitHost, servers.Settings.RabbitPort, "RabbitMQ", "PLATFORM_RABBITMQ_HOST / PLATFORM_RABBITMQ_PORT");
            description = $"the environment's settings: PostgreSQL at {servers.Settings.PgHost}:{servers.Settings.PgPort}, " +
                $"RabbitMQ at {servers.Settings.RabbitHost}:{servers.Settings.RabbitPort} (management {servers.ManagementPort})";
        }
        // Child processes (services, the operators' command) and hosts built from the environment
        // inherit these, so everything a test starts reaches the same servers without being told.
        foreach (var (key, value) in servers.Values)
        {
            System.Environment.SetEnvironmentVariable(key, value);
        }
        var line = $"test servers: {description}; ready in {started.Elapsed.TotalSeconds:0.0} s";
        Console.WriteLine(line);
        // VSTest shows a test process's output for failed tests only: the script that ran it reads this file.
        if (System.Environment.GetEnvironmentVariable(LogVariable) is { Length: > 0 } log)
        {
            await File.AppendAllTextAsync(log, line + "\n");
        }
        return servers;
    }

    private static async Task<TestServers> StartContainers(ServerSource.Containers source)
    {
        const string user = "platform", password = "platform";
        var postgresBuilder = new PostgreSqlBuilder(source.PostgresImage)
            .WithDockerEndpoint(source.DockerEndpoint)
            .WithUsername(user)
            .WithPassword(password)
            // deploy/servers.sh's figure: several services with pools of their own run at once.
            .WithCommand("-c", "max_connections=400")
            // Every test has databases of its own on the one server: a line of its log names whose it is.
            .WithCommand("-c", "log_line_prefix=%m [%p] %q%u@%d ");
        var rabbitBuilder = new RabbitMqBuilder(source.RabbitMqImage)
            .WithDockerEndpoint(source.DockerEndpoint)
            .WithUsername(user)
            .WithPassword(password)
            .WithPortBinding(RabbitMqManagementPort, true);
        if (source.SharedRun is { } run)
        {
            postgresBuilder = postgresBuilder.WithLabel(RunLabel, run).WithReuse(_ => $"{run} {source.PostgresImage}");
            rabbitBuilder = rabbitBuilder.WithLabel(RunLabel, run).WithReuse(_ => $"{run} {source.RabbitMqImage}");
        }
        var postgres = postgresBuilder.Build();
        var rabbit = rabbitBuilder.Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
        await WaitForManagement(rabbit, user, password);
        var brokerOnItsOwnPorts = new Dictionary<string, string?>
        {
            ["PLATFORM_RABBITMQ_HOST"] = rabbit.IpAddress,
            ["PLATFORM_RABBITMQ_PORT"] = RabbitMqBuilder.RabbitMqPort.ToString(),
        };
        return new TestServers(new Dictionary<string, string?>
        {
            ["PLATFORM_PG_HOST"] = postgres.Hostname,
            ["PLATFORM_PG_PORT"] = postgres.GetMappedPublicPort(PostgreSqlBuilder.PostgreSqlPort).ToString(),
            ["PLATFORM_PG_USER"] = user,
            ["PLATFORM_PG_PASSWORD"] = password,
            ["PLATFORM_RABBITMQ_HOST"] = rabbit.Hostname,
            ["PLATFORM_RABBITMQ_PORT"] = rabbit.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort).ToString(),
            ["PLATFORM_RABBITMQ_USER"] = user,
            ["PLATFORM_RABBITMQ_PASSWORD"] = password,
            ["PLATFORM_RABBITMQ_MANAGEMENT_PORT"] = rabbit.GetMappedPublicPort(RabbitMqManagementPort).ToString(),
        }, brokerOnItsOwnPorts);
    }

    /// <summary>
    /// The broker logs "Server startup complete" once its plugins have started, but the management
    /// listener may take a moment longer, and every fixture's first call is to it.
    /// </summary>
    private static async Task WaitForManagement(IContainer rabbit, string user, string password)
    {
        using var client = TestVirtualHost.ManagementClient(rabbit.Hostname, rabbit.GetMappedPublicPort(RabbitMqManagementPort), user, password);
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("api/overview");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"RabbitMQ's management API in {rabbit.Name} did not answer within 60 s.");
            }
            await Task.Delay(100);
        }
    }

    private static async Task<bool> DockerAnswers(Uri endpoint)
    {
        using var handler = new SocketsHttpHandler();
        Uri ping;
        if (endpoint.Scheme == "unix")
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            ping = new Uri("http://docker/_ping");
        }
        else
        {
            ping = new UriBuilder(endpoint) { Scheme = "http", Path = "/_ping" }.Uri;
        }
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(ping);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
        {
            return false;
        }
    }

    private static async Task Answers(string host, int port, string server, string settings)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"No {server} answers at {host}:{port} ({settings}); start it with `bash deploy/servers.sh`, or correct the settings, or start Docker.");
        }
    }
}
