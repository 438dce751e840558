using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.ProviderJobs;

/// <summary>A provider reads the jobs it holds, and no other provider's.</summary>
public static class ProviderJobEndpoints
{
    public static WebApplication MapProviderJobs(this WebApplication app)
    {
        app.MapGet("/jobs", async (HttpContext http, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                return caller.Is(PlatformRoles.Provider)
                    ? Results.Ok(await JobReadModel.InProgressWith(dataSource, caller.SubjectId, ct))
                    : Problems.Forbidden("Only repair providers list their repair jobs.");
            })
            .WithName("ListMyJobs").WithSummary("The calling provider's jobs in progress").WithTags("Provider jobs");

        app.MapGet("/jobs/{id:guid}", async (Guid id, HttpContext http, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Provider))
                {
                    return Problems.Forbidden("Only repair providers read repair jobs.");
                }
                return await JobReadModel.Get(dataSource, id, caller.SubjectId, ct) is { } job ? Results.Ok(job) : JobAccess.NoJob(id);
            })
            .WithName("GetMyJob").WithSummary("One job, if its current attempt is the calling provider's").WithTags("Provider jobs");

        return app;
    }
}
