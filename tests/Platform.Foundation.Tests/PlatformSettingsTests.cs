using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Platform.Foundation.Tests;

public sealed class PlatformSettingsTests
{
    private static SslMode SslModeOf(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new NpgsqlConnectionStringBuilder(PlatformSettings.From(configuration).ConnectionString("order")).SslMode;
    }

    [Theory]
    [InlineData("127.0.0.1", SslMode.Disable)]
    [InlineData("localhost", SslMode.Disable)]
    [InlineData("::1", SslMode.Disable)]
    [InlineData("postgres.internal", SslMode.Prefer)]
    [InlineData("10.0.0.5", SslMode.Prefer)]
    public void A_database_on_this_machine_is_reached_in_plain_text_and_any_other_with_tls_when_offered(string host, SslMode expected) =>
        Assert.Equal(expected, SslModeOf(("PLATFORM_PG_HOST", host)));

    [Fact]
    public void The_ssl_mode_setting_overrides_the_default_either_way()
    {
        Assert.Equal(SslMode.Require, SslModeOf(("PLATFORM_PG_HOST", "127.0.0.1"), ("PLATFORM_PG_SSL_MODE", "require")));
        Assert.Equal(SslMode.Disable, SslModeOf(("PLATFORM_PG_HOST", "db.example"), ("PLATFORM_PG_SSL_MODE", "Disable")));
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("42")]
    public void An_unknown_ssl_mode_stops_the_service_naming_the_setting(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SslModeOf(("PLATFORM_PG_SSL_MODE", value)));
        Assert.Contains("PLATFORM_PG_SSL_MODE", e.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void The_idempotency_wait_and_lease_default_to_20_and_60_seconds_and_are_read_from_their_settings()
    {
        Assert.Equal(new IdempotencySettings(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60)), IdempotencySettings.From(Configuration()));
        Assert.Equal(new IdempotencySettings(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(120)),
            IdempotencySettings.From(Configuration((IdempotencySettings.WaitKey, "5"), (IdempotencySettings.LeaseKey, "120"))));
    }

    [Fact]
    public void The_dead_letter_limits_default_to_50_listed_and_1000_moved_and_are_read_from_their_settings()
    {
        Assert.Equal(new DeadLetterLimits(50, 1000), DeadLetterLimits.From(Configuration()));
        Assert.Equal(new DeadLetterLimits(20, 5000),
            DeadLetterLimits.From(Configuration((DeadLetterLimits.MaxSampleKey, "20"), (DeadLetterLimits.MaxMoveKey, "5000"))));
    }

    [Fact]
    public void A_transient_fault_is_retried_5_times_from_200_ms_to_10_s_unless_set_otherwise()
    {
        Assert.Equal(new TransientRetry(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)), TransientRetry.From(Configuration()));
        Assert.Equal(new TransientRetry(8, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30)), TransientRetry.From(Configuration(
            (TransientRetry.LimitKey, "8"), (TransientRetry.MinIntervalKey, "50"), (TransientRetry.MaxIntervalKey, "30000"))));
    }

    [Fact]
    public void Refusals_are_listed_100_at_once_and_at_most_1000_unless_set_otherwise()
    {
        Assert.Equal(new WorklistPaging(100, 1000), RefusalListing.From(Configuration()).Paging);
        Assert.Equal(new WorklistPaging(100, 5000), RefusalListing.From(Configuration((RefusalListing.MaxLimitKey, "5000"))).Paging);
        Assert.Equal(new WorklistPaging(20, 20), RefusalListing.From(Configuration((RefusalListing.MaxLimitKey, "20"))).Paging);
    }

    [Fact]
    public void The_connection_pool_holds_50_unless_set_otherwise()
    {
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(PlatformSettings.From(Configuration()).ConnectionString("order")).MaxPoolSize);
        Assert.Equal(8, new NpgsqlConnectionStringBuilder(PlatformSettings.From(Configuration((PlatformSettings.PgMaxPoolSizeKey, "8"))).ConnectionString("order")).MaxPoolSize);
    }

    private static IHost ServiceHost(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }
        builder.AddPlatformDefaults(new PlatformServiceOptions { ServiceName = "settings-test" });
        return builder.Build();
    }

    [Fact]
    public void Opening_a_connection_is_retried_3_times_from_100_ms_unless_set_otherwise()
    {
        using (var host = ServiceHost())
        {
            Assert.Equal(new OpenRetryOptions(3, TimeSpan.FromMilliseconds(100)), host.Services.GetRequiredService<EventSourcingOptions>().OpenRetry);
        }
        using (var host = ServiceHost((PlatformSettings.PgOpenRetriesKey, "6"), (PlatformSettings.PgOpenRetryDelayKey, "250")))
        {
            Assert.Equal(new OpenRetryOptions(6, TimeSpan.FromMilliseconds(250)), host.Services.GetRequiredService<EventSourcingOptions>().OpenRetry);
        }
    }

    /// <summary>
    /// The database answers every connection that it is starting up: each try the unit of work makes is one connection
    /// (Npgsql's default, preferring GSS encryption, made it two: a second without GSS after each failure).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_unit_of_work_tries_to_open_its_connection_once_and_then_as_many_more_times_as_configured(int retries)
    {
        await using var database = StartingDatabase.Listen();
        using var host = ServiceHost(
            ("PLATFORM_PG_HOST", "127.0.0.1"),
            ("PLATFORM_PG_PORT", database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (PlatformSettings.PgOpenRetriesKey, retries.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (PlatformSettings.PgOpenRetryDelayKey, "10"));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => host.Services.GetRequiredService<EventStore>().OpenBatch(CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.CannotConnectNow, refused.SqlState);
        Assert.Equal(retries + 1, database.Connections);
    }

    /// <summary>A service reads these as its host is built: a bad value stops it there, before it opens a connection.</summary>
    [Theory]
    [InlineData(IdempotencySettings.WaitKey, "0")]
    [InlineData(IdempotencySettings.LeaseKey, "-1")]
    [InlineData(IdempotencySettings.LeaseKey, "a minute")]
    [InlineData(DeadLetterLimits.MaxSampleKey, "0")]
    [InlineData(DeadLetterLimits.MaxMoveKey, "all")]
    [InlineData(TransientRetry.LimitKey, "0")]
    [InlineData(TransientRetry.MinIntervalKey, "soon")]
    [InlineData(TransientRetry.MinIntervalKey, "20000")]
    [InlineData(PlatformSettings.PgMaxPoolSizeKey, "0")]
    [InlineData(PlatformSettings.PgMaxPoolSizeKey, "many")]
    [InlineData(PlatformSettings.PgOpenRetriesKey, "0")]
    [InlineData(PlatformSettings.OutboxMaxIdleKey, "0")]
    [InlineData(PlatformSettings.OutboxMaxIdleKey, "1s")]
    [InlineData(PlatformSettings.OutboxRetryKey, "0")]
    [InlineData(PlatformSettings.OutboxMaxRetryKey, "a minute")]
    [InlineData(PlatformSettings.OutboxLeaseKey, "-30")]
    [InlineData(PlatformSettings.OutboxPublishTimeoutKey, "0")]
    [InlineData(PlatformSettings.OutboxLeaseKey, "10")]
    [InlineData(PlatformSettings.PgOpenRetryDelayKey, "0.5")]
    [InlineData(RefusalListing.MaxLimitKey, "0")]
    [InlineData(RefusalListing.MaxLimitKey, "unlimited")]
    public void A_bad_operating_setting_stops_the_service_naming_it(string key, string value)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration[key] = value;
        var e = Assert.Throws<InvalidOperationException>(() => builder.AddPlatformDefaults(new PlatformServiceOptions { ServiceName = "settings-test" }));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// A PostgreSQL that is starting up, as one restarting looks to a client: it declines encryption, reads the startup
/// message, answers FATAL 57P03 and hangs up. It counts the connections that got as far as the startup message.
/// </summary>
internal sealed class StartingDatabase : IAsyncDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncryptionRequest = 80877104;

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int connections;

    private StartingDatabase()
    {
        listener.Start();
        accepting = Accept();
    }

    public static StartingDatabase Listen() => new();

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref connections);

    private async Task Accept()
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                await using var stream = client.GetStream();
                var request = await ReadMessage(stream);
                while (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(request) is SslRequest or GssEncryptionRequest)
                {
                    await stream.WriteAsync("N"u8.ToArray(), stop.Token);
                    request = await ReadMessage(stream);
                }
                Interlocked.Increment(ref connections);
                await stream.WriteAsync(StartingUp(), stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A length-prefixed message from a client that has not started up (no type byte): what follows the length.</summary>
    private async Task<byte[]> ReadMessage(NetworkStream stream)
    {
        var length = new byte[4];
        await stream.ReadExactlyAsync(length, stop.Token);
        var body = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(length) - 4];
        await stream.ReadExactlyAsync(body, stop.Token);
        return body;
    }

    private static byte[] StartingUp()
    {
        var fields = System.Text.Encoding.ASCII.GetBytes("SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0");
        var message = new byte[1 + 4 + fields.Length];
        message[0] = (byte)'E';
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + fields.Length);
        fields.CopyTo(message, 5);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
