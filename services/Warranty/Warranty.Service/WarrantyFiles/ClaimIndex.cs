using Npgsql;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;

namespace Warranty.Service;

/// <summary>Where a claim lives: the order line whose warranty file holds it.</summary>
public sealed record ClaimLocation(string OrderId, string LineId);

/// <summary>
/// Claims live inside their line's warranty file, but callers and other services name a claim by its id
/// alone. This table maps one to the other and keeps a claim id on one line only; it is written in the unit
/// of work that records the claim, so it never names a claim the store does not hold, nor misses one it does.
/// </summary>
public static class ClaimIndex
{
    /// <summary>The stored component name is the one the table was first created under, so no database applies it again.</summary>
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new("warranty-read-models", 1, """
            create table if not exists claim_index (
                claim_id uuid primary key,
                order_id text not null,
                line_id text not null,
                filed_at timestamptz not null);
            """),
    ];

    public static async Task<ClaimLocation?> Find(Session session, Guid claimId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select order_id, line_id from claim_index where claim_id = $1", session.Connection, session.Transaction);
        return await Read(command, claimId, ct);
    }

    public static async Task<ClaimLocation?> Find(EventStore store, Guid claimId, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand("select order_id, line_id from claim_index where claim_id = $1");
        return await Read(command, claimId, ct);
    }

    /// <summary>
    /// With the commit: a unit of work that filed the same claim id since this one looked it up makes the commit fail
    /// as a lost race, and the filing is decided again, when <see cref="Find(Session, Guid, CancellationToken)"/> sees it.
    /// </summary>
    public static void Add(Session session, Guid claimId, ClaimLocation location, DateTimeOffset filedAt) =>
        session.Take("claim_index", claimId.ToString(), "insert into claim_index (claim_id, order_id, line_id, filed_at) values (?, ?, ?, ?)",
            claimId, location.OrderId, location.LineId, filedAt);

    private static async Task<ClaimLocation?> Read(NpgsqlCommand command, Guid claimId, CancellationToken ct)
    {
        command.Parameters.Add(new() { Value = claimId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ClaimLocation(reader.GetString(0), reader.GetString(1)) : null;
    }
}
