using System.Runtime.CompilerServices;
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
    /// <summary>
    /// The pending deadlines each job's row held when this unit of work locked it. Nothing else writes them before
    /// the job's effects do, at the end of the unit of work, so the effects take them from here instead of reading
    /// the locked row a second time: one round trip fewer for every unit of work on a job.
    /// </summary>
    private static readonly ConditionalWeakTable<Session, Dictionary<Guid, PendingDeadlines>> Locked = new();

    public static async Task Take(Session session, string streamId, CancellationToken ct)
    {
        var jobId = RepairJobStream.JobId(streamId);
        await using var command = new NpgsqlCommand(
            "select callback_deadline_message, feedback_deadline_message, device_received_at from repair_jobs where job_id = $1 for update",
            session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = jobId });
        Locked.GetOrCreateValue(session)[jobId] = await PendingDeadlines.Read(command, ct);
    }

    /// <summary>A job this unit of work opens without reading it has no row yet, so no deadlines pending.</summary>
    internal static void Unopened(Session session, Guid jobId) => Locked.GetOrCreateValue(session)[jobId] = PendingDeadlines.None;

    /// <summary>What <see cref="Take"/> read for the job in this unit of work; false when it did not lock the job.</summary>
    internal static bool TryHeld(Session session, Guid jobId, out PendingDeadlines deadlines)
    {
        deadlines = PendingDeadlines.None;
        return Locked.TryGetValue(session, out var held) && held.TryGetValue(jobId, out deadlines!);
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
        if (JobLock.TryHeld(session, jobId, out var held))
        {
            return held;
        }
        await using var command = new NpgsqlCommand(
            "select callback_deadline_message, feedback_deadline_message, device_received_at from repair_jobs where job_id = $1", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = jobId });
        return await Read(command, ct);
    }

    internal static async Task<PendingDeadlines> Read(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new PendingDeadlines(reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
            : None;
    }
}
