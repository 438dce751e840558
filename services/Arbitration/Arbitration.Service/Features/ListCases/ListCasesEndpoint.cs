using Arbitration.Domain;
using Arbitration.Service.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service.Features.ListCases;

public static class ListCasesEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapListCases(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cases", async (string? status, string? arbitrator, int? limit, HttpContext http, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!caller.Is(PlatformRoles.Arbitrator) && !caller.Is(PlatformRoles.CustomerService))
            {
                return Problems.Forbidden("Only arbitrators and customer service may list cases.");
            }
            CaseStatus? wanted = null;
            if (status is not null)
            {
                if (!Input.TryParseName<CaseStatus>(status, out var parsed) || parsed == CaseStatus.NotOpened)
                {
                    return Problems.Invalid("status", "status must be one of AwaitingRespondent, AwaitingRuling, Ruled.");
                }
                wanted = parsed;
            }
            if (limit is < 1 or > MaxLimit)
            {
                return Problems.Invalid("limit", $"limit must be from 1 to {MaxLimit}.");
            }
            return Results.Ok(await CaseList.Find(dataSource, wanted, arbitrator, limit ?? DefaultLimit, ct));
        })
        .WithName("ListCases")
        .WithSummary("Cases by status and assigned arbitrator, oldest first (arbitrators, customer service)");
        return app;
    }
}
