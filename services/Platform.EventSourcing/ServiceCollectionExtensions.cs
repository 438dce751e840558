using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Platform.EventSourcing;

public sealed class EventSourcingOptions
{
    public required string ConnectionString { get; init; }
    public MessageTypeRegistry Types { get; } = new();
    public List<Migration> Migrations { get; } = [.. EventStoreSchema.Migrations];

    /// <summary>Stream kinds loaded from an inline snapshot (<see cref="StreamSnapshot{TState, TEvent}"/>).</summary>
    public List<IStreamSnapshot> Snapshots { get; } = [];

    public OutboxRelayOptions Relay { get; } = new();
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
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(options.ConnectionString).Build());
        services.AddSingleton(provider => new EventStore(
            provider.GetRequiredService<NpgsqlDataSource>(), options.Types, provider.GetRequiredService<TimeProvider>(), options.Snapshots));
        services.AddHostedService<MigrationsHostedService>();
        return services;
    }

    public static IServiceCollection AddOutboxRelay(this IServiceCollection services) => services.AddHostedService<OutboxRelay>();
}

internal sealed class MigrationsHostedService(NpgsqlDataSource dataSource, EventSourcingOptions options, EventStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Migrator.Apply(dataSource, options.Migrations, cancellationToken, store.ApplySchema);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
