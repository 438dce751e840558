using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;

namespace RepairDispatch.Service.Features.BreachHistory;

/// <summary>One callback breach charged to a provider: the job, its attempt, and when the deadline passed.</summary>
public sealed record BreachView(Guid JobId, int Attempt, ZonedInstant BreachedAt);

/// <summary>
/// The callback breaches a provider was charged with over the last year (what its state keeps for suspension), for a
/// chart of breaches over time: the scorecard gives only their count.
/// </summary>
public static class BreachHistoryEndpoint
{
    public static WebApplication MapBreachHistory(this WebApplication app)
    {
        app.MapGet("/providers/{id}/breaches", async (string id, HttpContext http, EventStore store, RepairDispatchSettings settings, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Operator) && !caller.Is(PlatformRoles.Provider))
                {
                    return Problems.Forbidden("Only operators and the provider itself read a provider's breaches.");
                }
                if (caller.Is(PlatformRoles.Provider) && !caller.IsParty(PlatformRoles.Provider, id))
                {
                    return ProviderAccess.NoProvider(id);
                }
                var provider = await store.Fold<Provider, ProviderEvent>(ProviderStream.StreamId(id), Provider.Initial, ProviderDecider.Evolve, ct);
                return provider is Provider.Registered registered
                    ? Results.Ok(registered.Breaches.Select(b => new BreachView(b.JobId, b.Attempt, ZonedInstant.Of(b.BreachedAt, settings.BusinessTimeZoneId))).ToList())
                    : ProviderAccess.NoProvider(id);
            })
            .Produces<List<BreachView>>()
            .WithName("GetProviderBreaches")
            .WithSummary("A provider's callback breaches of the last year, oldest first (operators, or the provider itself)")
            .WithTags("Providers");
        return app;
    }
}
