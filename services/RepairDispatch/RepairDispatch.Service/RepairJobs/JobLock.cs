using Npgsql;
using Platform.EventSourcing;

namespace RepairDispatch.Service.RepairJobs;

/// <summary>
/// Makes units of work on one job take turns on its repair_jobs row, the later one waiting for the
/// earlier to commit and then loading what it wrote. Without it, two deadlines or reports handled at
/// once would both decide on the same state and write the tables from it before one lost at commit;
/// a job not opened yet has no row, and its opening stays optimistic (the stream's expected version).
/// </summary>
public static class JobLock
{
    public static async Task Take(Session session, string streamId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select 1 from repair_jobs where job_id = $1 for update", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = RepairJobStream.JobId(streamId) });
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// The outbox ids of a job's scheduled deadlines not yet known to be moot, and when the provider
/// received the device, which every feedback deadline carries.
/// </summary>
public sealed record PendingDeadlines(Guid? Callback, Guid? Feedback, DateTimeOffset? DeviceReceivedAt)
{
    public static PendingDeadlines None { get; } = new(null, null, null);

    public static async Task<PendingDeadlines> Of(Session session, Guid jobId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select callback_deadline_message, feedback_deadline_message, device_received_at from repair_jobs where job_id = $1", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = jobId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new PendingDeadlines(reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
            : None;
    }
}
