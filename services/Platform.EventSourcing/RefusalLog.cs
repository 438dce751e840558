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
