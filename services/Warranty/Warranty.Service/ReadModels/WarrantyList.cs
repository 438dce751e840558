using Npgsql;
using Platform.ServiceDefaults.Http;

namespace Warranty.Service.ReadModels;

/// <summary>
/// A warranty file as the buyer's list shows it; <c>GET /warranties/{orderId}/{lineId}</c> has the rest. Its two deadlines
/// are instants at which something stops (the first moment not covered), in UTC and on the file's business zone clock.
/// </summary>
/// <param name="EntryClosesAt">When the after-sales entry closes, with 售后保 and any reopening; later claims that need the merchant are refused.</param>
/// <param name="CoveredUntil">When the last coverage (三包, national, merchant's, extended) ends.</param>
/// <param name="Covered">Whether a coverage still runs now and the line was not refunded.</param>
public sealed record WarrantyListItem(
    string OrderId,
    string LineId,
    string BuyerId,
    string MerchantId,
    string Category,
    string Sku,
    string Title,
    ZonedInstant CompletedAt,
    ZonedInstant EntryClosesAt,
    ZonedInstant? CoveredUntil,
    bool Covered,
    ZonedInstant? RefundedAt);

/// <param name="BuyerId">Null for customer service listing every buyer's.</param>
/// <param name="Covered">true: only lines still covered at <paramref name="Now"/>; false: only the others; null: all.</param>
public sealed record WarrantyFilter(string? BuyerId, bool? Covered, string? OrderId, DateTimeOffset Now)
{
    public string Scope => PageCursor.Scope("warranties", BuyerId, Covered?.ToString(), OrderId);
}

public static class WarrantyList
{
    private const string Select = """
        select order_id, line_id, buyer_id, merchant_id, category, sku, title, time_zone, completed_at, entry_closes_at, covered_until, refunded_at
        from warranty_list
        """;

    private const string CoveredNow = "(refunded_at is null and covered_until > {0})";

    /// <summary>The filter's warranties, newest order completion first.</summary>
    public static async Task<Page<WarrantyListItem>> Page(NpgsqlDataSource dataSource, WarrantyFilter filter, object[]? after, int size, CancellationToken ct)
    {
        var now = filter.Now.ToUniversalTime();
        var query = new WorklistQuery(Select)
            .WhereIf(filter.BuyerId is not null, "buyer_id = {0}", filter.BuyerId!)
            .WhereIf(filter.Covered == true, CoveredNow, now)
            .WhereIf(filter.Covered == false, $"not coalesce({CoveredNow}, false)", now)
            .WhereIf(filter.OrderId is not null, "order_id = {0}", filter.OrderId!)
            .WhereIf(after is not null, "(completed_at, order_id, line_id) < ({0}, {1}, {2})", after ?? []);
        await using var command = query.Command(dataSource, "completed_at desc, order_id desc, line_id desc", size);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(WarrantyListItem Item, DateTimeOffset CompletedAt)>();
        while (await reader.ReadAsync(ct))
        {
            var zone = reader.GetString(7);
            var completed = reader.GetFieldValue<DateTimeOffset>(8);
            DateTimeOffset? Instant(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            var (coveredUntil, refundedAt) = (Instant(10), Instant(11));
            rows.Add((new WarrantyListItem(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), ZonedInstant.Of(completed, zone), ZonedInstant.Of(reader.GetFieldValue<DateTimeOffset>(9), zone),
                ZonedInstant.Of(coveredUntil, zone), refundedAt is null && coveredUntil > now, ZonedInstant.Of(refundedAt, zone)), completed));
        }
        return PageCursor.Page(rows, size, filter.Scope,
            r => [PageCursor.Key(r.CompletedAt), r.Item.OrderId, r.Item.LineId], r => r.Item);
    }

    public static object[]? TryKey(string[] keys) => PageCursor.TryInstant(keys[0], out var completed) ? [completed, keys[1], keys[2]] : null;
}
