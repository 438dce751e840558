using System.Text.Json;
using Npgsql;

namespace Platform.EventSourcing;

public sealed record RefusedMessage(long Id, Guid? MessageId, string? Consumer, string MessageType, JsonElement? Body, string Code, string Reason, DateTimeOffset RefusedAt);

/// <summary>Reads what <see cref="Session.RecordRefusal"/> kept.</summary>
public static class RefusalLog
{
    public static async Task<IReadOnlyList<RefusedMessage>> Latest(NpgsqlDataSource dataSource, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select id, message_id, consumer, message_type, body, code, reason, refused_at from refusals order by id desc limit $1");
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<RefusedMessage>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new RefusedMessage(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : JsonDocument.Parse(reader.GetString(4)).RootElement.Clone(),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return list;
    }
}

/// <summary>Outbox rows the relay set aside (<see cref="OutboxRelay"/>): an operator sends them again once the cause is fixed.</summary>
public static class SetAsideMessages
{
    public const string Consumer = "outbox-relay";

    /// <summary>
    /// Moves the set-aside rows named (all of them when <paramref name="ids"/> is null) back into the
    /// outbox, due at once and with their attempts reset, and wakes the relays; returns their ids.
    /// One transaction, so a row is either still set aside or back in the outbox.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> Retry(NpgsqlDataSource dataSource, IReadOnlyCollection<Guid>? ids, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var retried = new List<Guid>();
        await using (var move = new NpgsqlCommand("""
            with retried as (
                delete from refusals
                where consumer = 'outbox-relay' and message_id is not null and ($1 or message_id = any($2))
                returning message_id, destination, message_type, body, headers)
            insert into outbox (id, due_at, scheduled, destination, message_type, body, headers, created_at)
            select distinct on (message_id) message_id, now(), false, destination, message_type, body, coalesce(headers, '{}'), now() from retried
            on conflict (id) do nothing
            returning id
            """, connection, tx))
        {
            move.Parameters.Add(new() { Value = ids is null });
            move.Parameters.Add(new() { Value = (ids ?? []).ToArray() });
            await using var reader = await move.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                retried.Add(reader.GetGuid(0));
            }
        }
        await using (var notify = new NpgsqlCommand($"notify {OutboxRelay.NotifyChannel}", connection, tx))
        {
            await notify.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return retried;
    }
}
