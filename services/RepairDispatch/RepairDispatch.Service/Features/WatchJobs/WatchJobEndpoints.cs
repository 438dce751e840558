using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.WatchJobs;

/// <summary>A job as the platform's staff watch it: with whom it is now, and how long that provider has to call the buyer.</summary>
public sealed record WatchedJob(
    Guid JobId, string? ProviderId, int Attempt, JobStatus Status, string OrderId, string LineId, Guid? ClaimId, Guid? CaseId,
    string Category, ZonedInstant? DispatchedAt, ZonedInstant? CallbackDeadline, ZonedInstant? BookedFor, bool AwaitingCallback);

/// <summary>One dispatch of a job: its 24 hours, and whether the provider called the buyer in them.</summary>
public sealed record WatchedAttempt(
    int Number, string ProviderId, ZonedInstant DispatchedAt, ZonedInstant CallbackDeadline, bool Accepted, ZonedInstant? BookedFor, bool CallbackBreached);

/// <summary>A job's whole dispatch history, folded from its stream.</summary>
public sealed record WatchedJobHistory(
    Guid JobId, JobStatus Status, string OrderId, string LineId, RepairSourceKind SourceKind, Guid SourceId, string PaidBy,
    string Outcome, IReadOnlyList<WatchedAttempt> Attempts);

/// <summary>
/// Every provider's jobs, for the people who answer for the repair promise across providers (operators, and
/// customer service and arbitrators reading a buyer's history): the providers' own worklist shows each only its own.
/// </summary>
public static class WatchJobEndpoints
{
    private static readonly string[] Readers = [PlatformRoles.Operator, PlatformRoles.CustomerService, PlatformRoles.Arbitrator];

    public static WebApplication MapWatchJobs(this WebApplication app)
    {
        app.MapGet("/operations/jobs", async (string? status, bool? awaitingCallback, string? providerId, string? orderId, Guid? claimId, string? cursor, int? limit,
                HttpContext http, NpgsqlDataSource dataSource, WorklistPaging paging, RepairDispatchSettings settings, CancellationToken ct) =>
            {
                if (!Readers.Any(http.GetCaller().Is))
                {
                    return Problems.Forbidden("Only operators, customer service and arbitrators list every provider's repair jobs.");
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
                var scope = PageCursor.Scope("operations-jobs", wanted.ToString(), awaitingCallback?.ToString(), providerId, orderId, claimId?.ToString());
                if (!PageCursor.TryRead(cursor, scope, 2, JobReadModel.TryKey, out var after))
                {
                    return PageCursor.Invalid();
                }
                var query = new WorklistQuery("""
                        select job_id, provider_id, attempt, status, order_id, line_id, claim_id, case_id, category, dispatched_at, callback_deadline_at, booked_for
                        from repair_jobs
                        """)
                    .Where("status = {0}", wanted.ToString())
                    .WhereIf(awaitingCallback is not null, "(status = 'InProgress' and booked_for is null) = {0}", awaitingCallback!)
                    .WhereIf(providerId is not null, "provider_id = {0}", providerId!)
                    .WhereIf(orderId is not null, "order_id = {0}", orderId!)
                    .WhereIf(claimId is not null, "claim_id = {0}", claimId!)
                    .WhereIf(after is not null, "(dispatched_at, job_id) > ({0}, {1})", after ?? []);
                await using var command = query.Command(dataSource, "dispatched_at, job_id", size);
                var zone = settings.BusinessTimeZoneId;
                var jobs = new List<WatchedJob>();
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        DateTimeOffset? Instant(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
                        Guid? Id(int i) => reader.IsDBNull(i) ? null : reader.GetGuid(i);
                        var jobStatus = Enum.Parse<JobStatus>(reader.GetString(3));
                        jobs.Add(new WatchedJob(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2), jobStatus,
                            reader.GetString(4), reader.GetString(5), Id(6), Id(7), reader.GetString(8), ZonedInstant.Of(Instant(9), zone),
                            ZonedInstant.Of(Instant(10), zone), ZonedInstant.Of(Instant(11), zone), jobStatus == JobStatus.InProgress && Instant(11) is null));
                    }
                }
                return Results.Ok(PageCursor.Page(jobs, size, scope,
                    j => [PageCursor.Key(j.DispatchedAt?.Utc ?? DateTimeOffset.MinValue), PageCursor.Key(j.JobId)], j => j));
            })
            .Produces<Page<WatchedJob>>()
            .WithName("WatchJobs")
            .WithSummary("Worklist of every provider's jobs (operators, customer service, arbitrators), in progress unless status says otherwise, soonest callback deadline first")
            .WithTags("Operations");

        app.MapGet("/operations/jobs/{id:guid}", async (Guid id, HttpContext http, EventStore store, RepairDispatchSettings settings, CancellationToken ct) =>
            {
                if (!Readers.Any(http.GetCaller().Is))
                {
                    return Problems.Forbidden("Only operators, customer service and arbitrators read any repair job's history.");
                }
                var job = await store.Fold<RepairJob, RepairJobEvent>(RepairJobStream.StreamId(id), RepairJob.Initial, RepairJobDecider.Evolve, ct);
                if (job is not RepairJob.Opened opened)
                {
                    return JobAccess.NoJob(id);
                }
                var zone = settings.BusinessTimeZoneId;
                var (status, outcome) = opened switch
                {
                    RepairJob.Completed c => (JobStatus.Completed, c.Outcome.ToString()),
                    RepairJob.Escalated e => (JobStatus.Escalated, e.Reason.ToString()),
                    _ => (JobStatus.InProgress, ""),
                };
                var request = opened.Details.Request;
                return Results.Ok(new WatchedJobHistory(id, status, request.OrderId, request.LineId, opened.Details.Source.Kind, opened.Details.Source.Id,
                    opened.Details.PaidBy.ToString(), outcome,
                    [.. opened.Attempts.Select(a => new WatchedAttempt(a.Number, a.ProviderId, ZonedInstant.Of(a.DispatchedAt, zone),
                        ZonedInstant.Of(a.CallbackDeadlineAt, zone), a.Accepted, ZonedInstant.Of(a.BookedFor, zone), a.CallbackBreached))]));
            })
            .Produces<WatchedJobHistory>()
            .WithName("WatchJob")
            .WithSummary("One job's every dispatch attempt, with its callback deadline and whether it was breached (operators, customer service, arbitrators)")
            .WithTags("Operations");

        return app;
    }
}
