using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Platform.EventSourcing;

public sealed class EventSourcingOptions
{
    public required string ConnectionString { get; init; }
    public MessageTypeRegistry Types { get; } = new();
    public List<Migration> Migrations { get; } = [.. EventStoreSchema.Migrations];

    /// <summary>Stream kinds loaded from an inline snapshot (<see cref="StreamSnapshot{TState, TEvent}"/>).</summary>
    public List<IStreamSnapshot> Snapshots { get; } = [];

    public OutboxRelayOptions Relay { get; } = new();

    public RetentionOptions Retention { get; } = new();

    public OpenRetryOptions OpenRetry { get; set; } = OpenRetryOptions.Default;

    /// <summary>
    /// Idle time after which the kernel probes a connection, and the interval between probes: a
    /// database that vanished without a FIN (a failover, a dropped NAT entry) is noticed in about a
    /// minute, rather than when the listener's next wait ends or never.
    /// </summary>
    public TimeSpan TcpKeepAliveTime { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan TcpKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal NpgsqlConnectionStringBuilder Connection(int? maxPoolSize = null, string? applicationName = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            TcpKeepAlive = true,
            TcpKeepAliveTime = (int)TcpKeepAliveTime.TotalSeconds,
            TcpKeepAliveInterval = (int)TcpKeepAliveInterval.TotalSeconds,
        };
        if (maxPoolSize is { } size)
        {
            builder.MaxPoolSize = size;
            builder.MinPoolSize = 0;
        }
        if (applicationName is not null)
        {
            builder.ApplicationName = applicationName;
        }
        return builder;
    }
}

/// <summary>
/// A database that restarts or fails over refuses connections for a moment: a unit of work's opening is retried this
/// many more times, waiting from <see cref="FirstDelay"/> and growing (jittered), before the error reaches the bus's
/// retry (or the caller's 503), which starts over.
/// </summary>
public sealed record OpenRetryOptions(int Retries, TimeSpan FirstDelay)
{
    public static readonly OpenRetryOptions Default = new(3, TimeSpan.FromMilliseconds(100));

    internal ResiliencePipeline Pipeline() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient),
            MaxRetryAttempts = Retries,
            BackoffType = DelayBackoffType.Exponential,
            Delay = FirstDelay,
            UseJitter = true,
        })
        .Build();
}

/// <summary>
/// The plumbing's own small pool: the relay, its listener, health checks and retention. The
/// consumers' pool can be wholly taken by a burst of messages; these must still get a connection.
/// </summary>
public sealed class PlumbingDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The event store and the migrations applied before anything else starts. Register it before
    /// MassTransit, so the schema exists when the first message arrives, and the relay after it
    /// (<see cref="AddOutboxRelay"/>), so the bus is up when the relay first publishes.
    /// </summary>
    public static IServiceCollection AddEventSourcing(this IServiceCollection services, EventSourcingOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Types);
        services.AddSingleton(options.Relay);
        services.AddSingleton(options.Retention);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(options.Connection().ConnectionString).Build());
        services.AddSingleton(_ => new PlumbingDataSource(
            new NpgsqlDataSourceBuilder(options.Connection(options.Relay.PoolSize, "platform-plumbing").ConnectionString).Build()));
        services.AddSingleton(provider => new EventStore(
            provider.GetRequiredService<NpgsqlDataSource>(), options.Types, provider.GetRequiredService<TimeProvider>(), options.Snapshots, openRetry: options.OpenRetry));
        services.AddHostedService<MigrationsHostedService>();
        return services;
    }

    public static IServiceCollection AddOutboxRelay(this IServiceCollection services) => services.AddHostedService<OutboxRelay>();

    /// <summary>Prunes the plumbing's tables and those the service adds to <see cref="RetentionOptions.Tables"/>.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services) => services.AddHostedService<Retention>();
}

internal sealed class MigrationsHostedService(NpgsqlDataSource dataSource, EventSourcingOptions options, EventStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Migrator.Apply(dataSource, options.Migrations, cancellationToken, store.ApplySchema);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
