using Arbitration.Domain;
using Arbitration.Service.Cases;
using Contract = Platform.Contracts.Arbitration.V1;
using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service.ReadModels;

/// <summary>A case as the worklists show it; its instants in UTC and on the business zone's clock.</summary>
/// <param name="RespondBy">When a silent respondent loses by default.</param>
public sealed record CaseListItem(
    Guid CaseId,
    string Origin,
    string OrderId,
    string LineId,
    Guid? ClaimId,
    string BuyerId,
    string Respondent,
    string? RespondentId,
    string? ArbitratorId,
    string Status,
    ZonedInstant OpenedAt,
    ZonedInstant RespondBy,
    ZonedInstant? RuledAt,
    bool? DefaultRuling);

/// <summary>Whose cases a caller may list, from its token: every case, or only those it answers or brought.</summary>
public enum CaseAudience
{
    /// <summary>Arbitrators and customer service.</summary>
    Everyone,

    /// <summary>A merchant: the cases it answers.</summary>
    Merchant,

    /// <summary>Operators: the cases the platform's repair operations answer.</summary>
    RepairOperations,

    /// <summary>A buyer: the cases it brought.</summary>
    Buyer,
}

/// <param name="Party">The merchant or buyer whose cases they are; null for the audiences that are not one party.</param>
public sealed record CaseFilter(
    CaseAudience Audience, string? Party, CaseStatus? Status, string? ArbitratorId, Contract.RespondentKind? RespondentKind,
    string? MerchantId, string? BuyerId, string? OrderId, Guid? ClaimId)
{
    public string Scope => PageCursor.Scope("cases", Audience.ToString(), Party, Status?.ToString(), ArbitratorId, RespondentKind?.ToString(),
        MerchantId, BuyerId, OrderId, ClaimId?.ToString());
}

/// <summary>One row per case, for the queries a stream cannot answer: the worklists, by arbitrator, by age.</summary>
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
        bool? DefaultRuling,
        Guid? ClaimId);

    private const string Columns =
        "case_id, origin, order_id, line_id, buyer_id, respondent, respondent_id, arbitrator_id, status, opened_at, respond_by, ruled_at, default_ruling, claim_id";

    /// <summary>
    /// Writes the case's row as the state stands after this unit of work's events, with the commit: nothing in a unit of
    /// work reads its own case's row back, and a case's opening holds the roster's lock until its commit.
    /// </summary>
    public static void Save(Session session, CaseState state)
    {
        var file = state.File ?? throw new InvalidOperationException("A case that is not open has no row.");
        session.Queue($"""
            insert into case_list ({Columns}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (case_id) do update set
                arbitrator_id = excluded.arbitrator_id, status = excluded.status,
                ruled_at = excluded.ruled_at, default_ruling = excluded.default_ruling, claim_id = excluded.claim_id
            """,
            file.CaseId,
            ContractMapping.Origin(file.Origin).ToString(),
            file.OrderId,
            file.LineId,
            file.BuyerId,
            ContractMapping.RespondentKind(file.Respondent).ToString(),
            file.Respondent.MerchantId,
            state.ArbitratorId,
            state.Status.ToString(),
            file.OpenedAt,
            file.RespondentDeadlineAt,
            state.Ruling?.RuledAt,
            state.Ruling is { } ruling ? ruling.ArbitratorId is null : null,
            ContractMapping.Ids(file.Origin).ClaimId);
    }

    /// <summary>Open (unruled) cases of each of <paramref name="arbitrators"/>, none missing.</summary>
    /// <param name="lockId">
    /// The transaction-scoped advisory lock taken ahead of the count, in the same round trip. The count is its own
    /// statement, so under read committed it sees every case committed before the lock was granted.
    /// </param>
    public static async Task<IReadOnlyList<ArbitratorLoad>> OpenCasesPerArbitrator(Session session, IReadOnlyList<string> arbitrators, long lockId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(session.Connection, session.Transaction);
        var lockFirst = new NpgsqlBatchCommand("select pg_advisory_xact_lock($1)");
        lockFirst.Parameters.Add(new() { Value = lockId });
        batch.BatchCommands.Add(lockFirst);
        var count = new NpgsqlBatchCommand("""
            select a.id, count(c.case_id)::int
            from unnest($1::text[]) as a(id)
            left join case_list c on c.arbitrator_id = a.id and c.ruled_at is null
            group by a.id
            """);
        count.Parameters.Add(new() { Value = arbitrators.ToArray() });
        batch.BatchCommands.Add(count);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        var loads = new List<ArbitratorLoad>();
        while (await reader.ReadAsync(ct))
        {
            loads.Add(new ArbitratorLoad(reader.GetString(0), reader.GetInt32(1)));
        }
        return loads;
    }

    /// <summary>One page of the filter's cases, oldest first (and so by respondent deadline), after <paramref name="after"/> or from the first.</summary>
    public static async Task<Page<CaseListItem>> Page(NpgsqlDataSource dataSource, CaseFilter filter, object[]? after, int size, string timeZone, CancellationToken ct)
    {
        var query = new WorklistQuery($"select {Columns} from case_list")
            .WhereIf(filter.Audience == CaseAudience.Merchant, "respondent = 'Merchant' and respondent_id = {0}", filter.Party!)
            .WhereIf(filter.Audience == CaseAudience.RepairOperations, "respondent = 'PlatformRepairOperations'")
            .WhereIf(filter.Audience == CaseAudience.Buyer, "buyer_id = {0}", filter.Party!)
            .WhereIf(filter.Status is not null, "status = {0}", filter.Status.ToString()!)
            .WhereIf(filter.ArbitratorId is not null, "arbitrator_id = {0}", filter.ArbitratorId!)
            .WhereIf(filter.RespondentKind is not null, "respondent = {0}", filter.RespondentKind.ToString()!)
            .WhereIf(filter.MerchantId is not null, "respondent_id = {0}", filter.MerchantId!)
            .WhereIf(filter.BuyerId is not null, "buyer_id = {0}", filter.BuyerId!)
            .WhereIf(filter.OrderId is not null, "order_id = {0}", filter.OrderId!)
            .WhereIf(filter.ClaimId is not null, "claim_id = {0}", filter.ClaimId!)
            .WhereIf(after is not null, "(opened_at, case_id) > ({0}, {1})", after ?? []);
        await using var command = query.Command(dataSource, "opened_at, case_id", size);
        return PageCursor.Page(await Read(command, ct), size, filter.Scope, r => [PageCursor.Key(r.OpenedAt), PageCursor.Key(r.CaseId)], r => new CaseListItem(
            r.CaseId, r.Origin, r.OrderId, r.LineId, r.ClaimId, r.BuyerId, r.Respondent, r.RespondentId, r.ArbitratorId, r.Status,
            ZonedInstant.Of(r.OpenedAt, timeZone), ZonedInstant.Of(r.RespondBy, timeZone), ZonedInstant.Of(r.RuledAt, timeZone), r.DefaultRuling));
    }

    public static object[]? TryKey(string[] keys) =>
        PageCursor.TryInstant(keys[0], out var openedAt) && Guid.TryParse(keys[1], out var caseId) ? [openedAt, caseId] : null;

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
                reader.IsDBNull(12) ? null : reader.GetBoolean(12),
                reader.IsDBNull(13) ? null : reader.GetGuid(13)));
        }
        return rows;
    }
}
