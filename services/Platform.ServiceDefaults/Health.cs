using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Platform.EventSourcing;

namespace Platform.ServiceDefaults;

/// <summary>
/// Readiness means "can serve requests": the database answers. The bus, the outbox's lag and the
/// scheduler's lag are health data: reported at <see cref="ReportPath"/> (degraded, never
/// unhealthy) and exported as metrics, so that a broker outage, which every replica sees at once,
/// does not take every replica and its working HTTP API out of service together.
/// </summary>
public static class PlatformHealth
{
    /// <summary>Every check with its state and description, for operators; answers 200 unless the database is away.</summary>
    public const string ReportPath = "/health";
    public const string BusCheck = "bus";
    public const string DatabaseCheck = "database";
    public const string OutboxCheck = "outbox";
    public const string MeterName = "Platform.Health";
    public const string StatusName = "platform.health.status";
    public const string OutboxLagName = "platform.outbox.lag";
    public const string SchedulerLagName = "platform.scheduler.lag";

    /// <summary>How often the checks run for the metrics, whether or not anyone calls an endpoint.</summary>
    public static readonly TimeSpan PublishPeriod = TimeSpan.FromSeconds(10);

    internal static void AddPlatformHealth(this IServiceCollection services, Func<string, int, int> setting)
    {
        services.AddHealthChecks()
            // The plumbing's own pool: a probe must answer while consumers hold every connection of theirs.
            .AddNpgSql(sp => sp.GetRequiredService<PlumbingDataSource>().DataSource, name: DatabaseCheck, tags: [Extensions.ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<OutboxLagHealthCheck>(OutboxCheck);
        services.AddSingleton(new OutboxLagOptions(
            TimeSpan.FromSeconds(setting("PLATFORM_OUTBOX_MAX_LAG_SECONDS", 30)),
            TimeSpan.FromSeconds(setting("PLATFORM_SCHEDULER_MAX_LAG_SECONDS", 30))));
        services.AddSingleton<IHealthCheckPublisher, HealthMetrics>();
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(1);
            o.Period = PublishPeriod;
        });
    }

    internal static void MapPlatformHealth(this WebApplication app)
    {
        // Probes cannot authenticate; the answers name checks, states and lags only.
        app.MapHealthChecks(Extensions.LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write }).AllowAnonymous();
        app.MapHealthChecks(Extensions.ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(Extensions.ReadyTag), ResponseWriter = Write }).AllowAnonymous();
        app.MapHealthChecks(ReportPath, new HealthCheckOptions { ResponseWriter = Write }).AllowAnonymous();
    }

    private static Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }, Json.Options));
    }
}

public sealed record OutboxLagOptions(TimeSpan MaxOutboxLag, TimeSpan MaxSchedulerLag);

/// <summary>
/// How long the oldest due message has waited, immediate and scheduled apart, in real seconds;
/// degraded beyond the bounds: the relay is stuck or the broker is away.
/// </summary>
internal sealed class OutboxLagHealthCheck(PlumbingDataSource plumbing, TimeProvider clock, OutboxLagOptions options) : IHealthCheck
{
    private readonly NpgsqlDataSource dataSource = plumbing.DataSource;

    public const string OutboxLagKey = "outbox_lag_seconds";
    public const string SchedulerLagKey = "scheduler_lag_seconds";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var now = clock.GetUtcNow();
            await using var command = dataSource.CreateCommand(
                """
                select (select min(due_at) from outbox where not scheduled and due_at <= $1),
                    (select min(due_at) from outbox where scheduled and due_at <= $1)
                """);
            command.Parameters.Add(new() { Value = now });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            // The bounds are real seconds; under a compressed clock a second of waiting is many business seconds.
            var speed = clock is AcceleratedTimeProvider accelerated ? accelerated.Speed : 1;
            var outboxLag = reader.IsDBNull(0) ? TimeSpan.Zero : (now - reader.GetFieldValue<DateTimeOffset>(0)) / speed;
            var schedulerLag = reader.IsDBNull(1) ? TimeSpan.Zero : (now - reader.GetFieldValue<DateTimeOffset>(1)) / speed;
            var description = $"outbox lag {outboxLag.TotalSeconds:F1}s, scheduler lag {schedulerLag.TotalSeconds:F1}s";
            var data = new Dictionary<string, object> { [OutboxLagKey] = outboxLag.TotalSeconds, [SchedulerLagKey] = schedulerLag.TotalSeconds };
            return outboxLag > options.MaxOutboxLag || schedulerLag > options.MaxSchedulerLag
                ? HealthCheckResult.Degraded(description, data: data)
                : HealthCheckResult.Healthy(description, data);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Degraded("The outbox cannot be read.");
        }
    }
}

/// <summary>
/// Turns the latest health report into gauges: platform.health.status by check (HealthStatus's own
/// numbers: 2 healthy, 1 degraded, 0 unhealthy) and the two lags in seconds. The checks run on the
/// publisher's timer, so the exporter never waits on the database.
/// </summary>
internal sealed class HealthMetrics : IHealthCheckPublisher
{
    private volatile HealthReport? latest;

    public HealthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(PlatformHealth.MeterName);
        meter.CreateObservableGauge(PlatformHealth.StatusName, ObserveStatus, description: "Each health check's state: 2 healthy, 1 degraded, 0 unhealthy");
        meter.CreateObservableGauge(PlatformHealth.OutboxLagName, () => ObserveLag(OutboxLagHealthCheck.OutboxLagKey), "s",
            "How long the oldest due immediate message has waited in the outbox, in real seconds");
        meter.CreateObservableGauge(PlatformHealth.SchedulerLagName, () => ObserveLag(OutboxLagHealthCheck.SchedulerLagKey), "s",
            "How long the oldest due scheduled message (a deadline) has waited in the outbox, in real seconds");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        latest = report;
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> ObserveStatus() =>
        latest?.Entries.Select(e => new Measurement<int>((int)e.Value.Status, new KeyValuePair<string, object?>("check", e.Key))) ?? [];

    private IEnumerable<Measurement<double>> ObserveLag(string key) =>
        latest is { } report && report.Entries.TryGetValue(PlatformHealth.OutboxCheck, out var entry) && entry.Data.TryGetValue(key, out var value) && value is double seconds
            ? [new Measurement<double>(seconds)]
            : [];
}
