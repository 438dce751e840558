using Npgsql;
using Platform.EventSourcing;

namespace RepairDispatch.Service.Http;

/// <summary>
/// Requests carried out under an Idempotency-Key, recorded in the transaction that carried them out,
/// so a client that retries after a lost answer does not act twice (a second progress note, a
/// decline of a job already passed on).
/// </summary>
public static class IdempotentRequests
{
    public const string Header = "Idempotency-Key";

    public static async Task<bool> Seen(Session session, Guid requestId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select exists (select 1 from idempotent_requests where request_id = $1)", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = requestId });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>False when a concurrent request with the same key was recorded first: this one must not commit.</summary>
    public static async Task<bool> Record(Session session, Guid requestId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "insert into idempotent_requests (request_id, recorded_at) values ($1, $2) on conflict do nothing", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = requestId });
        command.Parameters.Add(new() { Value = now });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
