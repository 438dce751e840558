using System.Globalization;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;

namespace Platform.Testing;

/// <summary>
/// One test's world: a database per service, a broker virtual host, the process's issuer, and a
/// shared clock (real time unless a speed is given). Services started in it see only each other.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    private readonly Dictionary<string, TestDatabase> databases = new(StringComparer.Ordinal);

    private TestEnvironment(TestVirtualHost virtualHost, TestIssuer issuer, AcceleratedTimeProvider? clock)
    {
        VirtualHost = virtualHost;
        Issuer = issuer;
        Clock = clock;
    }

    public TestVirtualHost VirtualHost { get; }
    public TestIssuer Issuer { get; }
    public AcceleratedTimeProvider? Clock { get; }

    /// <summary>Tokens from the real issuer for any role and party, one audience (service) each.</summary>
    public IssuerClient Tokens => Issuer.Client;

    public TimeProvider TimeProvider => (TimeProvider?)Clock ?? TimeProvider.System;

    /// <param name="clockSpeed">Above 1, every service of the environment runs this many times faster than real time.</param>
    public static async Task<TestEnvironment> Create(double clockSpeed = 1)
    {
        var clock = clockSpeed > 1 ? new AcceleratedTimeProvider(DateTimeOffset.UtcNow, clockSpeed) : null;
        return new TestEnvironment(await TestVirtualHost.Create(), await TestIssuer.Shared, clock);
    }

    /// <summary>The database of one service, created on first use.</summary>
    public async Task<TestDatabase> Database(string service)
    {
        if (!databases.TryGetValue(service, out var database))
        {
            database = await TestDatabase.Create(migrate: false);
            databases[service] = database;
        }
        return database;
    }

    /// <summary>Command-line settings that point a service at this environment.</summary>
    public async Task<string[]> Arguments(string service)
    {
        var arguments = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--PLATFORM_PG_DATABASE={(await Database(service)).Name}",
            $"--PLATFORM_RABBITMQ_VHOST={VirtualHost.Name}",
            "--Logging:LogLevel:Default=Warning",
            // Tests call as few parties, many times a second; the limiter has a test of its own.
            "--PLATFORM_RATE_LIMIT_PERMITS=1000000",
            // RepairDispatch's providers get broker users; users are the broker's, not the virtual host's, so theirs carry its name.
            $"--RepairDispatch:BrokerUsers:ManagementUrl=http://{TestDatabase.Settings.RabbitHost}:{TestServers.Current.ManagementPort}/",
            $"--RepairDispatch:BrokerUsers:UserPrefix={VirtualHost.UserPrefix}",
        };
        arguments.AddRange(Issuer.ServiceArguments);
        if (Clock is not null)
        {
            arguments.Add($"--PLATFORM_CLOCK_SPEED={Clock.Speed.ToString(CultureInfo.InvariantCulture)}");
            arguments.Add($"--PLATFORM_CLOCK_ORIGIN={Clock.Origin:O}");
        }
        return [.. arguments];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in databases.Values)
        {
            await database.DisposeAsync();
        }
        await VirtualHost.DisposeAsync();
    }
}
