using Npgsql;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobEvent;

namespace RepairDispatch.Service.Features.JobReports;

public enum JobReportKind
{
    Decline,
    Progress,
}

/// <summary>A decline or progress report as recorded: its code from the published list, the note and the attachment links.</summary>
public sealed record JobReportView(
    Guid JobId,
    int Attempt,
    string ProviderId,
    JobReportKind Kind,
    string Code,
    string Note,
    IReadOnlyList<string> AttachmentLinks,
    DateTimeOffset ReportedAt);

/// <summary>
/// The job_reports table: every decline and progress report of a job, written in the same transaction as its event,
/// so the codes the deciders recorded can be read without replaying the streams.
/// </summary>
public static class JobReportRows
{
    public const string Component = "repairdispatch-job-reports";

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(Component, 1, """
            create table if not exists job_reports (
                job_id uuid not null,
                attempt int not null,
                provider_id text not null,
                kind text not null check (kind in ('Decline', 'Progress')),
                code text not null,
                note text not null,
                attachments text[] not null,
                reported_at timestamptz not null,
                primary key (job_id, reported_at, kind));
            """),
    ];

    public static async Task Record(Session session, IEnumerable<RepairJobEvent> events, CancellationToken ct)
    {
        foreach (var @event in events)
        {
            var report = @event switch
            {
                RepairJobDeclined d => new JobReportView(d.JobId, d.Attempt, d.ProviderId, JobReportKind.Decline,
                    (d.Code ?? DeclineReasonCode.Other).ToString(), d.Reason, [], d.DeclinedAt),
                RepairProgressReported p => new JobReportView(p.JobId, p.Attempt, p.ProviderId, JobReportKind.Progress,
                    (p.Code ?? ProgressCode.Other).ToString(), p.Note, p.Attachments ?? [], p.ReportedAt),
                _ => null,
            };
            if (report is null)
            {
                continue;
            }
            await using var command = new NpgsqlCommand("""
                insert into job_reports (job_id, attempt, provider_id, kind, code, note, attachments, reported_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing
                """, session.Connection, session.Transaction);
            foreach (var value in new object[]
                     {
                         report.JobId, report.Attempt, report.ProviderId, report.Kind.ToString(), report.Code, report.Note,
                         report.AttachmentLinks.ToArray(), report.ReportedAt,
                     })
            {
                command.Parameters.Add(new() { Value = value });
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The job's reports, oldest first; only those <paramref name="providerId"/> made when it is given.</summary>
    public static async Task<IReadOnlyList<JobReportView>> Of(NpgsqlDataSource dataSource, Guid jobId, string? providerId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            select job_id, attempt, provider_id, kind, code, note, attachments, reported_at from job_reports
            where job_id = $1 and ($2::text is null or provider_id = $2) order by reported_at, kind
            """);
        command.Parameters.Add(new() { Value = jobId });
        command.Parameters.Add(new() { Value = (object?)providerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var reports = new List<JobReportView>();
        while (await reader.ReadAsync(ct))
        {
            reports.Add(new JobReportView(reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), Enum.Parse<JobReportKind>(reader.GetString(3)),
                reader.GetString(4), reader.GetString(5), reader.GetFieldValue<string[]>(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return reports;
    }
}
