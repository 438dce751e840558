using Arbitration.Domain;
using Arbitration.Service.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service.Features.WatchStaleCases;

/// <summary>A case open without a ruling, and for how long.</summary>
public sealed record StaleCase(Guid CaseId, string Origin, string OrderId, string Respondent, string? ArbitratorId, string Status, DateTimeOffset OpenedAt, TimeSpan OpenFor);

public static class StaleCasesEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>What the stale-case gauge counts, listed, for the operator paged on it.</summary>
    public static IEndpointRouteBuilder MapStaleCases(this IEndpointRouteBuilder app)
    {
        app.MapGet("/operations/stale-cases", async (int? limit, HttpContext http, NpgsqlDataSource dataSource, ArbitrationPolicy policy, TimeProvider clock, CancellationToken ct) =>
        {
            if (!http.GetCaller().Is(PlatformRoles.Operator))
            {
                return Problems.Forbidden("Only operators may watch stale cases.");
            }
            if (limit is < 1 or > MaxLimit)
            {
                return Problems.Invalid("limit", $"limit must be from 1 to {MaxLimit}.");
            }
            var now = clock.GetUtcNow();
            var rows = await CaseList.OpenSince(dataSource, now - policy.StaleAfter, limit ?? DefaultLimit, ct);
            return Results.Ok(rows.Select(row => new StaleCase(
                row.CaseId, row.Origin, row.OrderId, row.Respondent, row.ArbitratorId, row.Status, row.OpenedAt, now - row.OpenedAt)));
        })
        .WithName("StaleCases")
        .Produces<IReadOnlyList<StaleCase>>()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .WithSummary("Cases without a ruling longer than Arbitration:StaleAfter, oldest first (operators)");
        return app;
    }
}
