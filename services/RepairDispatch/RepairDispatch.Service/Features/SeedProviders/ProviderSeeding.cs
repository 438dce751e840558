using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;

namespace RepairDispatch.Service.Features.SeedProviders;

/// <summary>
/// Registers the providers of RepairDispatch:Providers at start, each with its broker user. A provider already registered with
/// the same terms is left as it is; one registered with other terms keeps them, since operators may
/// have changed them through the API since.
/// </summary>
/// <remarks>
/// It runs before every other hosted service, the bus included: a claim already waiting in the queue
/// on a first start would otherwise find no provider and be escalated. So it applies the schema
/// itself (the migrations are idempotent and run under a lock).
/// </remarks>
public sealed class ProviderSeeding(
    RepairDispatchSettings settings,
    EventSourcingOptions eventSourcing,
    EventStore store,
    ProviderStream providers,
    RepairDispatchPolicy policy,
    TimeProvider clock,
    ProviderBrokerUsers brokerUsers,
    ILogger<ProviderSeeding> logger) : IHostedService
{
    public static void AddFirst(IServiceCollection services) =>
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ProviderSeeding>());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Providers.Count == 0)
        {
            return;
        }
        await Migrator.Apply(store.DataSource, eventSourcing.Migrations, cancellationToken);
        foreach (var seed in settings.Providers)
        {
            var id = seed.Id!;
            var outcome = await Conflicts.Retry(async () =>
            {
                await using var session = await store.OpenSession(correlationId: null, cancellationToken);
                var work = new UnitOfWork(session);
                var handled = await work.Handle(providers.Aggregate, ProviderStream.StreamId(id), provider => ProviderDecider.Decide(
                    new ProviderCommand.RegisterProvider(id, seed.Regions, seed.Categories, seed.Capacity, clock.GetUtcNow()), provider, policy), cancellationToken);
                await session.Commit(cancellationToken);
                work.OnCommitted();
                return handled;
            }, attempts: RequestPipeline.Attempts, exhausted: e => throw e);

            if (outcome.Refusal is { } refusal)
            {
                logger.LogWarning("Provider {ProviderId} from configuration was not registered: {Reason} Its registered terms stand.", id, refusal.Reason);
            }
            try
            {
                await brokerUsers.Seed(id, seed.BrokerPasswordHash, cancellationToken);
            }
            catch (Exception e) when (e is BrokerManagementException or HttpRequestException)
            {
                // The provider is dispatched to either way; its queue waits for it, and the next start tries again.
                logger.LogError(e, "Provider {ProviderId} from configuration has no broker user yet", id);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
