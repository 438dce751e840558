using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.ReadModels;

public enum JobStatus
{
    InProgress,
    Completed,
    Escalated,
}

/// <summary>A repair job as the provider it is with sees it: what the dispatch told it, and where the job stands.</summary>
/// <param name="AwaitingCallback">In progress and the buyer not yet called: the callback deadline still binds.</param>
public sealed record JobView(
    Guid JobId,
    int Attempt,
    JobStatus Status,
    string OrderId,
    string LineId,
    Guid? ClaimId,
    Guid? CaseId,
    string BuyerContactReference,
    string ShippingRegion,
    string Sku,
    string Title,
    string Category,
    string Brand,
    string FaultDescription,
    Platform.Contracts.Repair.V1.RepairCostBearer CostBearer,
    DateTimeOffset DispatchedAt,
    DateTimeOffset CallbackDeadline,
    bool Accepted,
    DateTimeOffset? BookedFor,
    DateTimeOffset? FeedbackDueAt,
    Platform.Contracts.Repair.V1.RepairOutcome? Outcome,
    bool AwaitingCallback,
    JobDeadlines Deadlines);

/// <summary>The job's instants that bind the provider, in UTC and on the business zone's clock.</summary>
/// <param name="Callback">By when the provider must have called the buyer, or the job is redispatched and counts as a breach.</param>
/// <param name="FeedbackDue">By when a mailed-in device's next progress report is owed.</param>
public sealed record JobDeadlines(ZonedInstant Callback, ZonedInstant? FeedbackDue, ZonedInstant? BookedFor);

/// <summary>A provider's worklist filter; the provider is the caller's token's.</summary>
public sealed record JobFilter(string ProviderId, JobStatus Status, bool? AwaitingCallback, bool? Accepted, string? OrderId)
{
    public string Scope => PageCursor.Scope("jobs", ProviderId, Status.ToString(), AwaitingCallback?.ToString(), Accepted?.ToString(), OrderId);
}

/// <summary>
/// The repair_jobs table as providers query it: one row per job, rewritten from the folded state whenever the job
/// changes. The same row is the job's lock (<see cref="JobLock"/>) and keeps its pending deadlines.
/// </summary>
public static class JobReadModel
{
    private const string ViewColumns = """
        job_id, attempt, status, order_id, line_id, claim_id, case_id, region, sku, title, category, brand, fault,
        paid_by, dispatched_at, callback_deadline_at, accepted, booked_for, feedback_due_at, outcome
        """;

    /// <summary>
    /// Queued with the unit of work's commit (<see cref="Session.Queue"/>): nothing later in the unit of work reads the row
    /// back, so it costs no round trip of its own.
    /// </summary>
    public static void Upsert(Session session, RepairJob.Opened job, PendingDeadlines deadlines, DateTimeOffset now)
    {
        var details = job.Details;
        var request = details.Request;
        var current = job.Current;
        (JobStatus Status, RepairOutcome? Outcome, EscalationReason? Escalation, DateTimeOffset? FeedbackDue) end = job switch
        {
            RepairJob.InProgress p => (JobStatus.InProgress, null, null, p.FeedbackDueAt),
            RepairJob.Completed c => (JobStatus.Completed, c.Outcome, null, null),
            RepairJob.Escalated e => (JobStatus.Escalated, null, e.Reason, null),
            _ => throw new ArgumentOutOfRangeException(nameof(job), job.GetType().Name),
        };
        var source = details.Source;
        object?[] values =
        [
            details.JobId, current?.ProviderId, current?.Number, end.Status.ToString(), request.OrderId, request.LineId,
            source.Kind == RepairSourceKind.ApprovedClaim ? source.Id : null,
            source.Kind == RepairSourceKind.ArbitrationRuling ? source.Id : null,
            request.BuyerId, request.Region, request.Category, request.Brand, request.Sku, request.Title, request.Fault,
            details.PaidBy.ToString(), now, current?.DispatchedAt, current?.CallbackDeadlineAt, current?.Accepted ?? false,
            current?.BookedFor, end.FeedbackDue, end.Outcome?.ToString(), end.Escalation?.ToString(), deadlines.Callback, deadlines.Feedback,
            deadlines.DeviceReceivedAt, now,
        ];
        session.Queue("""
            insert into repair_jobs (job_id, provider_id, attempt, status, order_id, line_id, claim_id, case_id, buyer_id, region,
                category, brand, sku, title, fault, paid_by, opened_at, dispatched_at, callback_deadline_at, accepted, booked_for,
                feedback_due_at, outcome, escalation_reason, callback_deadline_message, feedback_deadline_message, device_received_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (job_id) do update set provider_id = excluded.provider_id, attempt = excluded.attempt, status = excluded.status,
                dispatched_at = excluded.dispatched_at, callback_deadline_at = excluded.callback_deadline_at, accepted = excluded.accepted,
                booked_for = excluded.booked_for, feedback_due_at = excluded.feedback_due_at, outcome = excluded.outcome,
                escalation_reason = excluded.escalation_reason, callback_deadline_message = excluded.callback_deadline_message,
                feedback_deadline_message = excluded.feedback_deadline_message, device_received_at = excluded.device_received_at,
                updated_at = excluded.updated_at
            """,
            // timestamptz takes UTC only; an instant a provider reported with its own offset is the same moment.
            [.. values.Select(value => value is DateTimeOffset instant ? instant.ToUniversalTime() : value)]);
    }

    /// <summary>
    /// One page of the provider's jobs in the filter's status, oldest dispatch first, which is also the order their callback
    /// deadlines fall in. A job another provider takes over leaves the list; one dispatched meanwhile comes last.
    /// </summary>
    public static async Task<Page<JobView>> Page(NpgsqlDataSource dataSource, JobFilter filter, object[]? after, int size, string timeZone, CancellationToken ct)
    {
        var query = new WorklistQuery($"select {ViewColumns} from repair_jobs")
            .Where("provider_id = {0} and status = {1}", filter.ProviderId, filter.Status.ToString())
            .WhereIf(filter.AwaitingCallback is not null, "(status = 'InProgress' and booked_for is null) = {0}", filter.AwaitingCallback!)
            .WhereIf(filter.Accepted is not null, "accepted = {0}", filter.Accepted!)
            .WhereIf(filter.OrderId is not null, "order_id = {0}", filter.OrderId!)
            .WhereIf(after is not null, "(dispatched_at, job_id) > ({0}, {1})", after ?? []);
        await using var command = query.Command(dataSource, "dispatched_at, job_id", size);
        return PageCursor.Page(await Read(command, timeZone, ct), size, filter.Scope, j => [PageCursor.Key(j.DispatchedAt), PageCursor.Key(j.JobId)], j => j);
    }

    public static object[]? TryKey(string[] keys) =>
        PageCursor.TryInstant(keys[0], out var dispatchedAt) && Guid.TryParse(keys[1], out var jobId) ? [dispatchedAt, jobId] : null;

    /// <summary>The job if its current (or last) attempt is the provider's; null for any other job, as for one that does not exist.</summary>
    public static async Task<JobView?> Get(NpgsqlDataSource dataSource, Guid jobId, string providerId, string timeZone, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {ViewColumns} from repair_jobs where job_id = $1 and provider_id = $2");
        command.Parameters.Add(new() { Value = jobId });
        command.Parameters.Add(new() { Value = providerId });
        return (await Read(command, timeZone, ct)).SingleOrDefault();
    }

    /// <summary>The claim or case a job serves: the correlation id of its flow.</summary>
    public static async Task<Guid?> FlowOf(NpgsqlDataSource dataSource, Guid jobId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select coalesce(claim_id, case_id) from repair_jobs where job_id = $1");
        command.Parameters.Add(new() { Value = jobId });
        return await command.ExecuteScalarAsync(ct) as Guid?;
    }

    private static async Task<IReadOnlyList<JobView>> Read(NpgsqlCommand command, string timeZone, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var jobs = new List<JobView>();
        while (await reader.ReadAsync(ct))
        {
            DateTimeOffset? Instant(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            Guid? Id(int i) => reader.IsDBNull(i) ? null : reader.GetGuid(i);
            jobs.Add(new JobView(
                reader.GetGuid(0), reader.GetInt32(1), Enum.Parse<JobStatus>(reader.GetString(2)), reader.GetString(3), reader.GetString(4),
                Id(5), Id(6), ContractMessages.BuyerContactReference(reader.GetGuid(0)), reader.GetString(7),
                reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetString(11), reader.GetString(12),
                Enum.Parse<Platform.Contracts.Repair.V1.RepairCostBearer>(reader.GetString(13)), Instant(14)!.Value, Instant(15)!.Value,
                reader.GetBoolean(16), Instant(17), Instant(18),
                reader.IsDBNull(19) ? null : Enum.Parse<Platform.Contracts.Repair.V1.RepairOutcome>(reader.GetString(19)),
                reader.GetString(2) == nameof(JobStatus.InProgress) && Instant(17) is null,
                new JobDeadlines(ZonedInstant.Of(Instant(15)!.Value, timeZone), ZonedInstant.Of(Instant(18), timeZone), ZonedInstant.Of(Instant(17), timeZone))));
        }
        return jobs;
    }
}
