using System.Diagnostics;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>The fixture's decision on where the servers come from, with an environment of the test's making.</summary>
public sealed class TestServersTests
{
    private const string NoDocker = "unix:///nonexistent/docker.sock";

    [Fact]
    public async Task With_no_Docker_engine_and_no_settings_it_stops_at_once_with_one_line_that_says_what_to_do()
    {
        var started = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServers.Decide(Environment(("DOCKER_HOST", NoDocker))));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(NoDocker, e.Message, StringComparison.Ordinal);
        Assert.Contains("bash deploy/test.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_Docker_engine_the_settings_name_the_servers()
    {
        var source = await TestServers.Decide(Environment(("DOCKER_HOST", NoDocker),
            ("PLATFORM_PG_HOST", "db.example"), ("PLATFORM_PG_PORT", "6432"), ("PLATFORM_RABBITMQ_HOST", "mq.example")));

        var running = Assert.IsType<ServerSource.Running>(source);
        Assert.Equal("db.example", running.Settings["PLATFORM_PG_HOST"]);
        Assert.Equal("6432", running.Settings["PLATFORM_PG_PORT"]);
        Assert.Equal("mq.example", running.Settings["PLATFORM_RABBITMQ_HOST"]);
    }

    [Fact]
    public async Task Asked_for_the_environments_servers_it_does_not_look_for_Docker()
    {
        var source = await TestServers.Decide(Environment((TestServers.SourceVariable, "environment")));

        Assert.IsType<ServerSource.Running>(source);
    }

    private static Func<string, string?> Environment(params (string Key, string Value)[] values)
    {
        var environment = values.ToDictionary(v => v.Key, v => v.Value);
        return key => environment.GetValueOrDefault(key);
    }
}
