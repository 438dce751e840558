using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults;

/// <summary>What one service adds to the defaults: its consumers, event types and migrations.</summary>
public sealed class PlatformServiceOptions
{
    /// <summary>Names the service in telemetry and prefixes its queues (warranty-order-completed).</summary>
    public required string ServiceName { get; init; }

    /// <summary>The service's own database; by default PLATFORM_PG_DATABASE, else the service name.</summary>
    public string? Database { get; init; }

    public Action<IBusRegistrationConfigurator> ConfigureConsumers { get; init; } = _ => { };
    public Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> ConfigureBus { get; init; } = (_, _) => { };
    public Action<EventSourcingOptions> ConfigureEventSourcing { get; init; } = _ => { };
}

public static class Extensions
{
    public const string ReadyTag = "ready";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>How long a stopping service may take to finish the messages in hand; orchestrators must wait longer.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(35);

    /// <summary>The platform's own ActivitySources and Meters all start with this.</summary>
    public const string TelemetryPrefix = "Platform.";

    public static IHostApplicationBuilder AddPlatformDefaults(this IHostApplicationBuilder builder, PlatformServiceOptions service)
    {
        var settings = PlatformSettings.From(builder.Configuration);
        var services = builder.Services;
        var clock = AcceleratedTimeProvider.FromConfiguration(builder.Configuration);
        services.AddSingleton(settings);
        services.AddSingleton(clock);

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var eventSourcing = new EventSourcingOptions
        {
            ConnectionString = settings.ConnectionString(service.Database ?? builder.Configuration["PLATFORM_PG_DATABASE"] ?? service.ServiceName),
        };
        eventSourcing.Relay.BatchSize = Int(builder.Configuration, "PLATFORM_OUTBOX_BATCH_SIZE", eventSourcing.Relay.BatchSize);
        eventSourcing.Relay.Workers = Int(builder.Configuration, "PLATFORM_OUTBOX_WORKERS", eventSourcing.Relay.Workers);
        eventSourcing.Relay.MaxAttempts = Int(builder.Configuration, "PLATFORM_OUTBOX_MAX_ATTEMPTS", eventSourcing.Relay.MaxAttempts);
        eventSourcing.Relay.PoolSize = Int(builder.Configuration, "PLATFORM_PLUMBING_POOL_SIZE", eventSourcing.Relay.Workers + 4);
        eventSourcing.Retention.InboxWindow = TimeSpan.FromDays(Int(builder.Configuration, "PLATFORM_RETENTION_INBOX_DAYS", (int)eventSourcing.Retention.InboxWindow.TotalDays));
        eventSourcing.Retention.RefusalWindow = TimeSpan.FromDays(Int(builder.Configuration, "PLATFORM_RETENTION_REFUSALS_DAYS", (int)eventSourcing.Retention.RefusalWindow.TotalDays));
        eventSourcing.Retention.Tables.Add(IdempotencyMiddleware.Retained(TimeSpan.FromDays(Int(builder.Configuration, "PLATFORM_RETENTION_IDEMPOTENCY_DAYS", 7))));
        eventSourcing.Migrations.AddRange(IdempotencyMiddleware.Migrations);
        service.ConfigureEventSourcing(eventSourcing);
        services.AddEventSourcing(eventSourcing);
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<MessagePipeline>();
        services.AddSingleton<RequestPipeline>();

        var consumerConcurrency = Int(builder.Configuration, "PLATFORM_CONSUMER_CONCURRENCY", 32);
        services.AddSingleton(ConsumerBatching.Default with
        {
            MessageLimit = Int(builder.Configuration, "PLATFORM_CONSUMER_BATCH_SIZE", ConsumerBatching.Default.MessageLimit),
            TimeLimit = TimeSpan.FromMilliseconds(Int(builder.Configuration, "PLATFORM_CONSUMER_BATCH_WAIT_MS", (int)ConsumerBatching.Default.TimeLimit.TotalMilliseconds)),
        });
        var endpointDefaults = new EndpointDefaults(
            string.Equals(builder.Configuration["PLATFORM_RABBITMQ_QUORUM_QUEUES"], "true", StringComparison.OrdinalIgnoreCase),
            Int(builder.Configuration, "PLATFORM_MAX_MESSAGE_BYTES", (int)EndpointDefaults.DefaultMaxMessageBytes));
        services.AddSingleton(endpointDefaults);
        services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service.ServiceName, false));
            service.ConfigureConsumers(x);
            x.AddConfigureEndpointsCallback((_, _, endpoint) => endpointDefaults.Apply(endpoint));
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, settings.RabbitVirtualHost, h =>
                {
                    h.Username(settings.RabbitUser);
                    h.Password(settings.RabbitPassword);
                });
                // Outer: transient infrastructure faults back off; inner: a lost optimistic race
                // is retried at once from a fresh load. Anything else goes to _error as it is.
                cfg.UseMessageRetry(r =>
                {
                    r.Handle<NpgsqlException>(e => e.IsTransient);
                    r.Handle<TimeoutException>();
                    r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));
                });
                cfg.UseMessageRetry(r =>
                {
                    r.Handle<StreamConcurrencyException>();
                    r.Handle<InvariantConflictException>();
                    r.Immediate(RequestPipeline.Attempts);
                });
                // Each message mostly waits on PostgreSQL, so one core keeps many in hand; the
                // transport's default (a few per core) left the database idle between them.
                cfg.ConcurrentMessageLimit = consumerConcurrency;
                cfg.PrefetchCount = consumerConcurrency * 2;
                service.ConfigureBus(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        services.AddOutboxRelay().AddRetention();

        AddTelemetry(services, service);

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<OutboxLagHealthCheck>("outbox", tags: [ReadyTag]);
        services.AddSingleton(new OutboxLagOptions(
            TimeSpan.FromSeconds(Int(builder.Configuration, "PLATFORM_OUTBOX_MAX_LAG_SECONDS", 30)),
            TimeSpan.FromSeconds(Int(builder.Configuration, "PLATFORM_SCHEDULER_MAX_LAG_SECONDS", 30))));

        services.AddPlatformAuthentication(settings.KeysDirectory);
        services.AddProblemDetails();
        // Unreadable requests reach BadRequestHandler, which answers 400 with what could not be read.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<UnavailableHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new StorableTextConverter()));
        services.AddOpenApi();
        return builder;
    }

    /// <summary>Health, OpenAPI and the error handling every service shares; endpoints need a caller unless said otherwise.</summary>
    public static WebApplication UsePlatformDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        // Probes cannot authenticate; the answers name checks and states only.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth }).AllowAnonymous();
        app.MapOpenApi();
        app.MapGet("/operations/refusals", async (HttpContext context, NpgsqlDataSource dataSource, int? limit, CancellationToken ct) =>
                context.GetCaller().Is(PlatformRoles.Operator)
                    ? Results.Ok(await RefusalLog.Latest(dataSource, Math.Clamp(limit ?? 100, 1, 1000), ct))
                    : Results.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "Only operators may read refused messages."))
            .WithSummary("Messages this service refused, newest first, with the reason and what was sent");
        return app;
    }

    private static void AddTelemetry(IServiceCollection services, PlatformServiceOptions service)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(service.ServiceName);
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("MassTransit", "Npgsql", "Microsoft.AspNetCore", TelemetryPrefix + "*");
        if (otlp)
        {
            tracing.AddOtlpExporter();
        }

        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("MassTransit", "Npgsql", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", TelemetryPrefix + "*");
        if (otlp)
        {
            metrics.AddOtlpExporter();
        }

        services.AddSingleton(provider =>
        {
            foreach (var extension in provider.GetServices<TracingExtension>())
            {
                extension.Configure(tracing);
            }
            return tracing.Build();
        });
        services.AddSingleton(_ => metrics.Build());
        services.AddHostedService<TelemetryHostedService>();
    }

    private static int Int(Microsoft.Extensions.Configuration.IConfiguration configuration, string key, int fallback)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }
        return int.TryParse(value, out var parsed) && parsed > 0
            ? parsed
            : throw new InvalidOperationException($"{key} must be a positive whole number, not '{value}'.");
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }, Json.Options));
    }
}

/// <summary>
/// Registered in DI by a host that wants more of the traces (a test's in-memory exporter): applied
/// when the tracer provider is built, after the service has composed itself.
/// </summary>
public sealed record TracingExtension(Action<TracerProviderBuilder> Configure);

/// <summary>Builds the tracer and meter providers at start, so activities exist before the first message.</summary>
internal sealed class TelemetryHostedService(TracerProvider tracer, MeterProvider meter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracer.ForceFlush(2000);
        meter.ForceFlush(2000);
        return Task.CompletedTask;
    }
}

public sealed record OutboxLagOptions(TimeSpan MaxOutboxLag, TimeSpan MaxSchedulerLag);

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}

/// <summary>Unready when due messages wait longer than the bound: the relay is stuck or the broker is away.</summary>
internal sealed class OutboxLagHealthCheck(NpgsqlDataSource dataSource, TimeProvider clock, OutboxLagOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var now = clock.GetUtcNow();
            await using var command = dataSource.CreateCommand(
                "select min(due_at) filter (where not scheduled), min(due_at) filter (where scheduled) from outbox where due_at <= $1");
            command.Parameters.Add(new() { Value = now });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            // The bounds are real seconds; under a compressed clock a second of waiting is many business seconds.
            var speed = clock is AcceleratedTimeProvider accelerated ? accelerated.Speed : 1;
            var outboxLag = reader.IsDBNull(0) ? TimeSpan.Zero : (now - reader.GetFieldValue<DateTimeOffset>(0)) / speed;
            var schedulerLag = reader.IsDBNull(1) ? TimeSpan.Zero : (now - reader.GetFieldValue<DateTimeOffset>(1)) / speed;
            var description = $"outbox lag {outboxLag.TotalSeconds:F1}s, scheduler lag {schedulerLag.TotalSeconds:F1}s";
            return outboxLag > options.MaxOutboxLag || schedulerLag > options.MaxSchedulerLag
                ? HealthCheckResult.Unhealthy(description)
                : HealthCheckResult.Healthy(description);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The outbox cannot be read.");
        }
    }
}
