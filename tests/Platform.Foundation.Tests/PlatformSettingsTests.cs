using Microsoft.Extensions.Configuration;
using Npgsql;
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
    public void The_connection_pool_holds_50_unless_set_otherwise()
    {
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(PlatformSettings.From(Configuration()).ConnectionString("order")).MaxPoolSize);
        Assert.Equal(8, new NpgsqlConnectionStringBuilder(PlatformSettings.From(Configuration((PlatformSettings.PgMaxPoolSizeKey, "8"))).ConnectionString("order")).MaxPoolSize);
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
    public void A_bad_operating_setting_stops_the_service_naming_it(string key, string value)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration[key] = value;
        var e = Assert.Throws<InvalidOperationException>(() => builder.AddPlatformDefaults(new PlatformServiceOptions { ServiceName = "settings-test" }));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
