using Npgsql;
using Platform.ServiceDefaults.Http;

namespace Warranty.Service.ReadModels;

/// <summary>
/// A claim as the worklists show it. Deadlines and the filing time are given in UTC and on the clock of the
/// business zone the claim's warranty file counts its days in.
/// </summary>
/// <param name="RespondBy">When the merchant's silence accepts the claim; set once the claim waited for the merchant.</param>
public sealed record ClaimListItem(
    Guid ClaimId,
    string OrderId,
    string LineId,
    string BuyerId,
    string MerchantId,
    string Status,
    bool AwaitingMerchant,
    string Fault,
    string RemedyAsked,
    string FiledByRole,
    string FiledById,
    ZonedInstant FiledAt,
    ZonedInstant? RespondBy);

/// <summary>Who a claims worklist is for: the caller's own scope, fixed from the token, and the order it is read in.</summary>
public enum ClaimAudience
{
    /// <summary>The merchant's claims: those waiting for its answer first, soonest deadline first, then the rest by filing.</summary>
    Merchant,

    /// <summary>The buyer's claims, newest first.</summary>
    Buyer,

    /// <summary>The claims customer service filed for buyers, newest first.</summary>
    CustomerService,
}

/// <param name="Party">The merchant or buyer whose list it is; null for customer service, which may read every claim.</param>
public sealed record ClaimFilter(ClaimAudience Audience, string? Party, string? Status, string? OrderId, string? BuyerId, string? MerchantId, string? FiledBy)
{
    public string Scope => PageCursor.Scope("claims", Audience.ToString(), Party, Status, OrderId, BuyerId, MerchantId, FiledBy);

    /// <summary>How many values the audience's sort key has, and so its cursor.</summary>
    public int KeyLength => Audience == ClaimAudience.Merchant ? 3 : 2;
}

public static class ClaimList
{
    private const string Select = """
        select claim_id, order_id, line_id, buyer_id, merchant_id, status, fault, remedy_asked, filed_by_role, filed_by_id,
            filed_at, respond_by, time_zone, merchant_rank, merchant_order_at
        from claim_list
        """;

    private sealed record Row(ClaimListItem Item, short MerchantRank, DateTimeOffset MerchantOrderAt, DateTimeOffset FiledAt);

    /// <summary>One page after <paramref name="after"/> (a decoded cursor, already checked by <see cref="TryKey"/>), or the first.</summary>
    public static async Task<Page<ClaimListItem>> Page(NpgsqlDataSource dataSource, ClaimFilter filter, object[]? after, int size, CancellationToken ct)
    {
        var query = new WorklistQuery(Select)
            .WhereIf(filter.Audience == ClaimAudience.Merchant, "merchant_id = {0}", filter.Party!)
            .WhereIf(filter.Audience == ClaimAudience.Buyer, "buyer_id = {0}", filter.Party!)
            .WhereIf(filter.Audience == ClaimAudience.CustomerService, "filed_by_role = 'CustomerService'")
            .WhereIf(filter.Status is not null, "status = {0}", filter.Status!)
            .WhereIf(filter.OrderId is not null, "order_id = {0}", filter.OrderId!)
            .WhereIf(filter.BuyerId is not null, "buyer_id = {0}", filter.BuyerId!)
            .WhereIf(filter.MerchantId is not null, "merchant_id = {0}", filter.MerchantId!)
            .WhereIf(filter.FiledBy is not null, "filed_by_id = {0}", filter.FiledBy!);
        string orderBy;
        Func<Row, IReadOnlyList<string>> key;
        if (filter.Audience == ClaimAudience.Merchant)
        {
            query.WhereIf(after is not null, "(merchant_rank, merchant_order_at, claim_id) > ({0}, {1}, {2})", after ?? []);
            orderBy = "merchant_rank, merchant_order_at, claim_id";
            key = r => [r.MerchantRank.ToString(System.Globalization.CultureInfo.InvariantCulture), PageCursor.Key(r.MerchantOrderAt), PageCursor.Key(r.Item.ClaimId)];
        }
        else
        {
            query.WhereIf(after is not null, "(filed_at, claim_id) < ({0}, {1})", after ?? []);
            orderBy = "filed_at desc, claim_id desc";
            key = r => [PageCursor.Key(r.FiledAt), PageCursor.Key(r.Item.ClaimId)];
        }
        await using var command = query.Command(dataSource, orderBy, size);
        return PageCursor.Page(await Read(command, ct), size, filter.Scope, key, r => r.Item);
    }

    /// <summary>The sort key a cursor of this filter holds, as query values; null when a key does not parse.</summary>
    public static object[]? TryKey(ClaimFilter filter, string[] keys)
    {
        if (filter.Audience == ClaimAudience.Merchant)
        {
            return short.TryParse(keys[0], System.Globalization.CultureInfo.InvariantCulture, out var rank)
                && PageCursor.TryInstant(keys[1], out var at) && Guid.TryParse(keys[2], out var id)
                ? [rank, at, id] : null;
        }
        return PageCursor.TryInstant(keys[0], out var filed) && Guid.TryParse(keys[1], out var claim) ? [filed, claim] : null;
    }

    private static async Task<List<Row>> Read(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Row>();
        while (await reader.ReadAsync(ct))
        {
            var zone = reader.GetString(12);
            var status = reader.GetString(5);
            var filedAt = reader.GetFieldValue<DateTimeOffset>(10);
            var item = new ClaimListItem(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                status, status == nameof(Warranty.Domain.ClaimStatus.AwaitingMerchant),
                reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9),
                ZonedInstant.Of(filedAt, zone),
                ZonedInstant.Of(reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), zone));
            rows.Add(new Row(item, reader.GetInt16(13), reader.GetFieldValue<DateTimeOffset>(14), filedAt));
        }
        return rows;
    }
}
