using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.JobReports;

public static class JobReportsEndpoint
{
    public static WebApplication MapJobReports(this WebApplication app)
    {
        app.MapGet("/jobs/{id:guid}/reports", async (Guid id, HttpContext http, NpgsqlDataSource dataSource, RepairDispatchSettings settings, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Operator) && !caller.Is(PlatformRoles.Provider))
                {
                    return Problems.Forbidden("Only operators and repair providers read a job's reports.");
                }
                // A provider sees the reports it made itself; a job it neither holds nor reported on answers as absent.
                var provider = caller.Is(PlatformRoles.Provider) ? caller.SubjectId : null;
                var reports = await JobReportRows.Of(dataSource, id, provider, ct);
                return provider is not null && reports.Count == 0 && await JobReadModel.Get(dataSource, id, provider, settings.BusinessTimeZoneId, ct) is null
                    ? JobAccess.NoJob(id)
                    : Results.Ok(reports);
            })
            .WithName("GetJobReports")
            .WithSummary("A job's decline and progress reports with their codes, notes and attachment links (operators: all; a provider: its own)")
            .WithTags("Provider reports");
        return app;
    }
}
