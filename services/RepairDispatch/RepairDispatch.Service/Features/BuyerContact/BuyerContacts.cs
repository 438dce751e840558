using Npgsql;
using Platform.EventSourcing;

namespace RepairDispatch.Service.Features.BuyerContact;

/// <summary>The buyer's phone and service address as the claim gave them; either may be absent.</summary>
public sealed record BuyerContactDetails(string? Phone, string? Address);

/// <summary>
/// The tables of the contact service. The buyer's phone and address are kept beside the job's stream, never in its
/// events or in any message to a provider, so they can be erased on their own. Each virtual number bound for an
/// attempt is kept until <see cref="VirtualNumberReleaser"/> has released it at the vendor.
/// </summary>
public static class BuyerContacts
{
    public const string Component = "repairdispatch-buyer-contact";

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(Component, 1, """
            create table if not exists buyer_contacts (
                job_id uuid primary key,
                phone text,
                address text,
                recorded_at timestamptz not null);

            -- One virtual number per attempt that asked for one; released once the attempt is no longer the job's current one.
            create table if not exists contact_numbers (
                job_id uuid not null,
                attempt int not null,
                provider_id text not null,
                binding_id text not null,
                virtual_number text not null,
                bound_at timestamptz not null,
                released_at timestamptz,
                primary key (job_id, attempt));
            create index if not exists contact_numbers_bound on contact_numbers (job_id) where released_at is null;
            """),
    ];

    /// <summary>Kept with the job's opening; the claim sent again changes nothing.</summary>
    public static async Task Save(Session session, Guid jobId, BuyerContactDetails contact, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "insert into buyer_contacts (job_id, phone, address, recorded_at) values ($1, $2, $3, $4) on conflict (job_id) do nothing",
            session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = jobId });
        command.Parameters.Add(new() { Value = (object?)contact.Phone ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)contact.Address ?? DBNull.Value });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<BuyerContactDetails?> Find(Session session, Guid jobId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select phone, address from buyer_contacts where job_id = $1", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = jobId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new BuyerContactDetails(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    /// <summary>The attempt's virtual number, bound at the vendor the first time it is asked for.</summary>
    public static async Task<string> NumberFor(Session session, IVirtualNumbers vendor, Guid jobId, int attempt, string providerId, string phone,
        DateTimeOffset now, CancellationToken ct)
    {
        await using (var existing = new NpgsqlCommand("select virtual_number from contact_numbers where job_id = $1 and attempt = $2",
                         session.Connection, session.Transaction))
        {
            existing.Parameters.Add(new() { Value = jobId });
            existing.Parameters.Add(new() { Value = attempt });
            if (await existing.ExecuteScalarAsync(ct) is string number)
            {
                return number;
            }
        }
        var bound = await vendor.Bind($"{jobId}:{attempt}", phone, ct);
        await using var insert = new NpgsqlCommand("""
            insert into contact_numbers (job_id, attempt, provider_id, binding_id, virtual_number, bound_at)
            values ($1, $2, $3, $4, $5, $6)
            """, session.Connection, session.Transaction);
        foreach (var value in new object[] { jobId, attempt, providerId, bound.BindingId, bound.Number, now })
        {
            insert.Parameters.Add(new() { Value = value });
        }
        await insert.ExecuteNonQueryAsync(ct);
        return bound.Number;
    }
}
