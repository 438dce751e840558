using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>The lag bounds are real seconds, whatever the speed of the business clock.</summary>
public sealed class CompressedClockReadinessTests : IAsyncLifetime
{
    private const int Speed = 2000;
    private TestDatabase database = null!;
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create(migrate: false);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["PLATFORM_CLOCK_SPEED"] = Speed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["PLATFORM_CLOCK_ORIGIN"] = DateTimeOffset.UtcNow.ToString("O");
        builder.AddPlatformDefaults(new PlatformServiceOptions { ServiceName = "clock-test", Database = database.Name });
        // Without a relay, an outbox row put in by the test stays: the lag check is what is under test.
        builder.Services.Remove(builder.Services.Single(d => d.ImplementationType == typeof(Platform.EventSourcing.OutboxRelay)));
        app = builder.Build();
        app.UsePlatformDefaults();
        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task<string?> OutboxStateWithAMessageDue(TimeSpan businessTimeAgo)
    {
        var clock = app.Services.GetRequiredService<TimeProvider>();
        await using (var command = database.DataSource.CreateCommand(
            "insert into outbox (id, due_at, scheduled, message_type, body, headers, created_at) values ($1, $2, false, 'unknown-type', '{}', '{}', $2)"))
        {
            command.Parameters.Add(new() { Value = Guid.NewGuid() });
            command.Parameters.Add(new() { Value = clock.GetUtcNow() - businessTimeAgo });
            await command.ExecuteNonQueryAsync();
        }
        using var report = await client.GetAsync(PlatformHealth.ReportPath);
        return System.Text.Json.JsonDocument.Parse(await report.Content.ReadAsStringAsync()).RootElement
            .GetProperty("checks").GetProperty(PlatformHealth.OutboxCheck).GetProperty("status").GetString();
    }

    [Fact]
    public async Task A_message_due_a_business_hour_ago_is_under_two_real_seconds_late_and_the_outbox_is_healthy()
    {
        Assert.Equal("Healthy", await OutboxStateWithAMessageDue(TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_message_due_two_business_days_ago_is_a_minute_and_a_half_late_and_the_outbox_is_degraded()
    {
        Assert.Equal("Degraded", await OutboxStateWithAMessageDue(TimeSpan.FromDays(2)));
    }
}
