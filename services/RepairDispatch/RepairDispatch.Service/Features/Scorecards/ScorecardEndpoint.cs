using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Features.Scorecards;

public static class ScorecardEndpoint
{
    public static WebApplication MapProviderScorecard(this WebApplication app)
    {
        app.MapGet("/providers/{id}/scorecard", async (string id, HttpContext http, NpgsqlDataSource dataSource, RepairDispatchPolicy policy, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Operator) && !caller.Is(PlatformRoles.Provider))
                {
                    return Problems.Forbidden("Only operators and the provider itself read a provider's scorecard.");
                }
                // Another provider's scorecard answers as a missing one would.
                if (caller.Is(PlatformRoles.Provider) && !caller.IsParty(PlatformRoles.Provider, id))
                {
                    return ProviderAccess.NoProvider(id);
                }
                return await ProviderReadModel.Scorecard(dataSource, id, policy.QualityScore, ct) is { } card ? Results.Ok(card) : ProviderAccess.NoProvider(id);
            })
            .WithName("GetProviderScorecard")
            .Produces<ScorecardView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A provider's record and quality score (operators, or the provider itself)")
            .WithTags("Providers");
        return app;
    }
}
