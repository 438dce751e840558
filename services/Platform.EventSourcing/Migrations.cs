using Npgsql;

namespace Platform.EventSourcing;

/// <summary>A schema change, applied once per database, identified by its component and version.</summary>
public sealed record Migration(string Component, int Version, string Sql);

public static class Migrator
{
    // One lock id for every component: migrations of one database never interleave.
    private const long AdvisoryLockId = 0x5741_5252_414E_5459;

    /// <summary>
    /// Applies what is missing, each migration in its own transaction, under a session-level advisory
    /// lock so that processes starting at the same moment apply each one exactly once.
    /// </summary>
    /// <param name="alsoUnderLock">Schema work of another owner (Marten's) done under the same lock.</param>
    public static async Task Apply(NpgsqlDataSource dataSource, IEnumerable<Migration> migrations, CancellationToken ct, Func<CancellationToken, Task>? alsoUnderLock = null)
    {
        var ordered = migrations.OrderBy(m => m.Component, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
        var duplicate = ordered.GroupBy(m => (m.Component, m.Version)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migration {duplicate.Key.Component} v{duplicate.Key.Version} is declared twice.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Execute(connection, null, $"select pg_advisory_lock({AdvisoryLockId})", ct);
        try
        {
            await Execute(connection, null, """
                create table if not exists schema_migrations (
                    component text not null,
                    version int not null,
                    applied_at timestamptz not null default now(),
                    primary key (component, version))
                """, ct);
            var applied = new HashSet<(string, int)>();
            await using (var read = new NpgsqlCommand("select component, version from schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    applied.Add((reader.GetString(0), reader.GetInt32(1)));
                }
            }

            foreach (var migration in ordered.Where(m => !applied.Contains((m.Component, m.Version))))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await Execute(connection, tx, migration.Sql, ct);
                await using var record = new NpgsqlCommand("insert into schema_migrations (component, version) values ($1, $2)", connection, tx);
                record.Parameters.Add(new() { Value = migration.Component });
                record.Parameters.Add(new() { Value = migration.Version });
                await record.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
            }
            if (alsoUnderLock is not null)
            {
                await alsoUnderLock(ct);
            }
        }
        finally
        {
            await Execute(connection, null, $"select pg_advisory_unlock({AdvisoryLockId})", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The plumbing's own tables: inbox, outbox and refusals. The event streams are Marten's (<see cref="EventStore.ApplySchema"/>).</summary>
public static class EventStoreSchema
{
    public const string Component = "eventsourcing";

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(Component, 1, """
            create table if not exists inbox (
                message_id uuid not null,
                consumer text not null,
                processed_at timestamptz not null,
                primary key (message_id, consumer));

            create table if not exists outbox (
                id uuid primary key,
                due_at timestamptz not null,
                scheduled boolean not null,
                destination text,
                message_type text not null,
                body jsonb not null,
                headers jsonb not null,
                created_at timestamptz not null);

            create index if not exists outbox_due_at on outbox (due_at);
            """),
        new(Component, 2, """
            create table if not exists refusals (
                id bigint generated always as identity primary key,
                message_id uuid,
                consumer text,
                message_type text not null,
                body jsonb,
                code text not null,
                reason text not null,
                refused_at timestamptz not null);
            """),
        // The relay's lease and attempts (OutboxRelay), the refusals' copy of what a retry needs, and
        // the indexes that keep claiming and pruning (Retention) cheap.
        new(Component, 3, """
            alter table outbox
                add column if not exists attempts int not null default 0,
                add column if not exists locked_until timestamptz,
                add column if not exists retry_at timestamptz,
                add column if not exists last_error text;
            create index if not exists outbox_immediate on outbox (due_at) where not scheduled;
            create index if not exists outbox_held on outbox (id) where locked_until is not null or retry_at is not null;

            alter table refusals
                add column if not exists destination text,
                add column if not exists headers jsonb;
            create index if not exists refusals_refused_at on refusals (refused_at);
            create index if not exists refusals_outbox on refusals (message_id) where consumer = 'outbox-relay';

            create index if not exists inbox_processed_at on inbox (processed_at);
            """),
        // A row may carry several immediate messages of one commit (OutboxBatch); the relay's claim
        // counts them against its batch size.
        new(Component, 4, """
            alter table outbox add column if not exists messages int not null default 1;
            """),
        // An index for each kind of row, which the relay's statements take without statistics: before
        // autovacuum first analyses a young outbox (a new database, the first minute of a service), the
        // planner read the whole table for "is anything due" and "when does a lease end", 5 ms a look under
        // 7,000 scheduled rows. The relay no longer asks the second (OutboxRelay.NextDueSql).
        new(Component, 5, """
            create index if not exists outbox_scheduled on outbox (due_at) where scheduled;
            drop index if exists outbox_due_at;
            drop index if exists outbox_held;
            """),
        // Bodies and headers are stored as the text the serializer wrote, not parsed into jsonb: nothing
        // queries inside them on the hot path, and parsing a shared row on insert and printing it again
        // on every claim was most of what its statements cost. lz4 compresses a shared row's tens of
        // kilobytes several times faster than the default pglz; a server built without lz4 keeps pglz.
        new(Component, 6, """
            alter table outbox alter column body type text using body::text, alter column headers type text using headers::text;
            do $$
            begin
                alter table outbox alter column body set compression lz4;
            exception when feature_not_supported then
                raise notice 'outbox.body stays compressed with pglz: this server has no lz4';
            end $$;
            """),
    ];
}
