using Arbitration.Domain;
using Arbitration.Service.Cases;
using Npgsql;
using Platform.EventSourcing;

namespace Arbitration.Service.ReadModels;

/// <summary>One row per case, for the queries a stream cannot answer: by status, by arbitrator, by age.</summary>
public static class CaseList
{
    public sealed record Row(
        Guid CaseId,
        string Origin,
        string OrderId,
        string LineId,
        string BuyerId,
        string Respondent,
        string? RespondentId,
        string? ArbitratorId,
        string Status,
        DateTimeOffset OpenedAt,
        DateTimeOffset RespondBy,
        DateTimeOffset? RuledAt,
        bool? DefaultRuling);

    private const string Columns =
        "case_id, origin, order_id, line_id, buyer_id, respondent, respondent_id, arbitrator_id, status, opened_at, respond_by, ruled_at, default_ruling";

    /// <summary>Writes the case's row as the state stands after this unit of work's events.</summary>
    public static async Task Save(Session session, CaseState state, CancellationToken ct)
    {
        var file = state.File ?? throw new InvalidOperationException("A case that is not open has no row.");
        await using var command = new NpgsqlCommand($"""
            insert into case_list ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            on conflict (case_id) do update set
                arbitrator_id = excluded.arbitrator_id, status = excluded.status,
                ruled_at = excluded.ruled_at, default_ruling = excluded.default_ruling
            """, session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = file.CaseId });
        command.Parameters.Add(new() { Value = ContractMapping.Origin(file.Origin).ToString() });
        command.Parameters.Add(new() { Value = file.OrderId });
        command.Parameters.Add(new() { Value = file.LineId });
        command.Parameters.Add(new() { Value = file.BuyerId });
        command.Parameters.Add(new() { Value = ContractMapping.RespondentKind(file.Respondent).ToString() });
        command.Parameters.Add(new() { Value = (object?)file.Respondent.MerchantId ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)state.ArbitratorId ?? DBNull.Value });
        command.Parameters.Add(new() { Value = state.Status.ToString() });
        command.Parameters.Add(new() { Value = file.OpenedAt });
        command.Parameters.Add(new() { Value = file.RespondentDeadlineAt });
        command.Parameters.Add(new() { Value = (object?)state.Ruling?.RuledAt ?? DBNull.Value });
        command.Parameters.Add(new() { Value = state.Ruling is { } ruling ? ruling.ArbitratorId is null : DBNull.Value });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Open (unruled) cases of each of <paramref name="arbitrators"/>, none missing.</summary>
    public static async Task<IReadOnlyList<ArbitratorLoad>> OpenCasesPerArbitrator(Session session, IReadOnlyList<string> arbitrators, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select a.id, count(c.case_id)::int
            from unnest($1::text[]) as a(id)
            left join case_list c on c.arbitrator_id = a.id and c.ruled_at is null
            group by a.id
            """, session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = arbitrators.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var loads = new List<ArbitratorLoad>();
        while (await reader.ReadAsync(ct))
        {
            loads.Add(new ArbitratorLoad(reader.GetString(0), reader.GetInt32(1)));
        }
        return loads;
    }

    public static async Task<IReadOnlyList<Row>> Find(NpgsqlDataSource dataSource, CaseStatus? status, string? arbitratorId, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from case_list
            where ($1::text is null or status = $1) and ($2::text is null or arbitrator_id = $2)
            order by opened_at, case_id
            limit $3
            """);
        command.Parameters.Add(new() { Value = (object?)status?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)arbitratorId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        return await Read(command, ct);
    }

    /// <summary>Cases without a ruling opened before <paramref name="openedBefore"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<Row>> OpenSince(NpgsqlDataSource dataSource, DateTimeOffset openedBefore, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from case_list
            where ruled_at is null and opened_at < $1
            order by opened_at, case_id
            limit $2
            """);
        command.Parameters.Add(new() { Value = openedBefore });
        command.Parameters.Add(new() { Value = limit });
        return await Read(command, ct);
    }

    public static long CountOpenSince(NpgsqlDataSource dataSource, DateTimeOffset openedBefore, TimeSpan timeout)
    {
        using var command = dataSource.CreateCommand("select count(*) from case_list where ruled_at is null and opened_at < $1");
        command.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        command.Parameters.Add(new() { Value = openedBefore });
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<IReadOnlyList<Row>> Read(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Row>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetBoolean(12)));
        }
        return rows;
    }
}
