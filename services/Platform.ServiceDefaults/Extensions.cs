using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.OpenApi;

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
        services.AddSingleton(service);
        services.AddSingleton(clock);
        services.AddSingleton(IdempotencySettings.From(builder.Configuration));
        services.AddSingleton(DeadLetterLimits.From(builder.Configuration));
        services.AddSingleton(RefusalListing.From(builder.Configuration));

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var eventSourcing = new EventSourcingOptions
        {
            ConnectionString = settings.ConnectionString(service.Database ?? builder.Configuration["PLATFORM_PG_DATABASE"] ?? service.ServiceName),
            OpenRetry = new OpenRetryOptions(
                Settings.Positive(builder.Configuration, PlatformSettings.PgOpenRetriesKey, OpenRetryOptions.Default.Retries),
                Settings.Positive(builder.Configuration, PlatformSettings.PgOpenRetryDelayKey, OpenRetryOptions.Default.FirstDelay, TimeSpan.FromMilliseconds(1))),
        };
        eventSourcing.Relay.BatchSize = Settings.Positive(builder.Configuration, "PLATFORM_OUTBOX_BATCH_SIZE", eventSourcing.Relay.BatchSize);
        eventSourcing.Relay.Workers = Settings.Positive(builder.Configuration, "PLATFORM_OUTBOX_WORKERS", eventSourcing.Relay.Workers);
        eventSourcing.Relay.MaxAttempts = Settings.Positive(builder.Configuration, "PLATFORM_OUTBOX_MAX_ATTEMPTS", eventSourcing.Relay.MaxAttempts);
        eventSourcing.Relay.MaxIdle = Settings.Positive(builder.Configuration, PlatformSettings.OutboxMaxIdleKey, eventSourcing.Relay.MaxIdle, TimeSpan.FromMilliseconds(1));
        eventSourcing.Relay.RetryDelay = Settings.Positive(builder.Configuration, PlatformSettings.OutboxRetryKey, eventSourcing.Relay.RetryDelay, TimeSpan.FromMilliseconds(1));
        eventSourcing.Relay.MaxRetryDelay = Settings.Positive(builder.Configuration, PlatformSettings.OutboxMaxRetryKey, eventSourcing.Relay.MaxRetryDelay, TimeSpan.FromSeconds(1));
        eventSourcing.Relay.Lease = Settings.Positive(builder.Configuration, PlatformSettings.OutboxLeaseKey, eventSourcing.Relay.Lease, TimeSpan.FromSeconds(1));
        eventSourcing.Relay.PublishTimeout = Settings.Positive(builder.Configuration, PlatformSettings.OutboxPublishTimeoutKey, eventSourcing.Relay.PublishTimeout, TimeSpan.FromSeconds(1));
        if (eventSourcing.Relay.Lease <= eventSourcing.Relay.PublishTimeout)
        {
            // A lease that can run out while its relay still waits for confirms hands the rows to another relay mid-publish.
            throw new InvalidOperationException(
                $"{PlatformSettings.OutboxLeaseKey} ({eventSourcing.Relay.Lease.TotalSeconds:0} s) must be longer than {PlatformSettings.OutboxPublishTimeoutKey} ({eventSourcing.Relay.PublishTimeout.TotalSeconds:0} s).");
        }
        eventSourcing.Relay.PoolSize = Settings.Positive(builder.Configuration, "PLATFORM_PLUMBING_POOL_SIZE", eventSourcing.Relay.Workers + 4);
        eventSourcing.Retention.InboxWindow = Settings.Positive(builder.Configuration, "PLATFORM_RETENTION_INBOX_DAYS", eventSourcing.Retention.InboxWindow, TimeSpan.FromDays(1));
        eventSourcing.Retention.RefusalWindow = Settings.Positive(builder.Configuration, "PLATFORM_RETENTION_REFUSALS_DAYS", eventSourcing.Retention.RefusalWindow, TimeSpan.FromDays(1));
        eventSourcing.Retention.Tables.Add(IdempotencyMiddleware.Retained(Settings.Positive(builder.Configuration, "PLATFORM_RETENTION_IDEMPOTENCY_DAYS", TimeSpan.FromDays(7), TimeSpan.FromDays(1))));
        eventSourcing.Migrations.AddRange(IdempotencyMiddleware.Migrations);
        service.ConfigureEventSourcing(eventSourcing);
        services.AddEventSourcing(eventSourcing);
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<MessagePipeline>();
        services.AddHttpContextAccessor();
        services.AddSingleton<RequestPipeline>();

        var consumerConcurrency = Settings.Positive(builder.Configuration, "PLATFORM_CONSUMER_CONCURRENCY", 32);
        var transientRetry = TransientRetry.From(builder.Configuration);
        services.AddSingleton(ConsumerBatching.Default with
        {
            MessageLimit = Settings.Positive(builder.Configuration, "PLATFORM_CONSUMER_BATCH_SIZE", ConsumerBatching.Default.MessageLimit),
            TimeLimit = Settings.Positive(builder.Configuration, "PLATFORM_CONSUMER_BATCH_WAIT_MS", ConsumerBatching.Default.TimeLimit, TimeSpan.FromMilliseconds(1)),
            ConcurrencyLimit = Settings.Positive(builder.Configuration, "PLATFORM_CONSUMER_BATCHES", ConsumerBatching.Default.ConcurrencyLimit),
        });
        var endpointDefaults = new EndpointDefaults(
            string.Equals(builder.Configuration["PLATFORM_RABBITMQ_QUORUM_QUEUES"], "true", StringComparison.OrdinalIgnoreCase),
            Settings.Positive(builder.Configuration, "PLATFORM_MAX_MESSAGE_BYTES", (int)EndpointDefaults.DefaultMaxMessageBytes));
        services.AddSingleton(endpointDefaults);
        services.AddMassTransit(x =>
        {
            // The bus's state is health data, not readiness: a broker away does not stop the HTTP API.
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Name = PlatformHealth.BusCheck;
                o.MinimalFailureStatus = HealthStatus.Degraded;
                // No tags means MassTransit's defaults, "ready" among them: a tag of its own keeps it out of readiness.
                o.Tags.Add(PlatformHealth.BusCheck);
            });
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
                    r.Handle<Exception>(DatabaseFaults.IsTransient);
                    r.Exponential(transientRetry.Limit, transientRetry.MinInterval, transientRetry.MaxInterval, TimeSpan.FromMilliseconds(300));
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

        builder.AddPlatformTelemetry(service.ServiceName);
        services.AddPlatformHealth((key, fallback) => Settings.Positive(builder.Configuration, key, fallback));
        services.AddHostedService<ErrorQueueDepth>();

        services.AddPlatformAuthentication(builder.Configuration, service.ServiceName);
        services.AddPlatformRateLimits(builder.Configuration);
        var maxRequestBytes = Settings.Positive(builder.Configuration, PlatformSettings.MaxRequestBytesKey, PlatformSettings.DefaultMaxRequestBytes);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = maxRequestBytes);
        services.AddProblemDetails();
        // Unreadable requests reach BadRequestHandler, which answers 400 with what could not be read.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<UnavailableHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new StorableTextConverter()));
        services.AddPlatformOpenApi(service.ServiceName);
        return builder;
    }

    /// <summary>Health, OpenAPI and the error handling every service shares; endpoints need a caller unless said otherwise.</summary>
    public static WebApplication UsePlatformDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePlatformAccess();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapPlatformHealth();
        app.MapPlatformOpenApi(app.Services.GetRequiredService<PlatformServiceOptions>().ServiceName);
        app.MapDeadLetters();
        app.MapGet("/operations/refusals", async (HttpContext context, NpgsqlDataSource dataSource, RefusalListing listing, int? limit, CancellationToken ct) =>
                !context.GetCaller().Is(PlatformRoles.Operator) ? Problems.Forbidden("Only operators may read refused messages.")
                : listing.Paging.Size(limit, out var size) is { } badLimit ? badLimit
                : Results.Ok(await RefusalLog.Latest(dataSource, size, ct)))
            .WithName("ListRefusals")
            .WithSummary("Messages this service refused, newest first, with the reason and what was sent")
            .Produces<IReadOnlyList<RefusedMessage>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }
}
