using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.ProviderJobs;

/// <summary>A provider reads the jobs it holds, and no other provider's: the provider is always the token's.</summary>
public static class ProviderJobEndpoints
{
    public static WebApplication MapProviderJobs(this WebApplication app)
    {
        app.MapGet("/jobs", async (string? status, bool? awaitingCallback, bool? accepted, string? orderId, string? cursor, int? limit,
                HttpContext http, NpgsqlDataSource dataSource, WorklistPaging paging, RepairDispatchSettings settings, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Provider))
                {
                    return Problems.Forbidden("Only repair providers list their repair jobs.");
                }
                var wanted = JobStatus.InProgress;
                if (status is not null && !(Enum.GetNames<JobStatus>().Contains(status, StringComparer.Ordinal) && Enum.TryParse(status, out wanted)))
                {
                    return Problems.Invalid("status", $"status must be one of {string.Join(", ", Enum.GetNames<JobStatus>())}.");
                }
                if (paging.Size(limit, out var size) is { } badLimit)
                {
                    return badLimit;
                }
                var filter = new JobFilter(caller.SubjectId, wanted, awaitingCallback, accepted, orderId);
                return PageCursor.TryRead(cursor, filter.Scope, 2, JobReadModel.TryKey, out var after)
                    ? Results.Ok(await JobReadModel.Page(dataSource, filter, after, size, settings.BusinessTimeZoneId, ct))
                    : PageCursor.Invalid();
            })
            .WithName("ListMyJobs")
            .Produces<Page<JobView>>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Worklist: the calling provider's jobs (in progress unless status says otherwise), oldest dispatch and so soonest callback deadline first");

        app.MapGet("/jobs/{id:guid}", async (Guid id, HttpContext http, NpgsqlDataSource dataSource, RepairDispatchSettings settings, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Provider))
                {
                    return Problems.Forbidden("Only repair providers read repair jobs.");
                }
                return await JobReadModel.Get(dataSource, id, caller.SubjectId, settings.BusinessTimeZoneId, ct) is { } job ? Results.Ok(job) : JobAccess.NoJob(id);
            })
            .WithName("GetMyJob")
            .Produces<JobView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One job, if its current attempt is the calling provider's");

        return app;
    }
}
