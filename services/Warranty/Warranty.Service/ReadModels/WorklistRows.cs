using Platform.EventSourcing;
using Warranty.Domain;
using Warranty.Service.Views;
using static Warranty.Service.ContractVocabulary;

namespace Warranty.Service.ReadModels;

/// <summary>
/// Writes the rows of claim_list and warranty_list as a unit of work leaves the file: the file's row, and the row of
/// each claim its events touched. Queued with the unit of work's commit, so the worklists cost no round trip
/// of their own (nothing in the unit of work reads them back).
/// </summary>
public static class WorklistRows
{
    public static void Save(Session session, WarrantyFile.Activated file, IReadOnlyList<WarrantyFileEvent> events)
    {
        Queue(session, """
            insert into warranty_list (order_id, line_id, buyer_id, merchant_id, category, sku, title, time_zone, completed_at,
                entry_closes_at, covered_until, refunded_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (order_id, line_id) do update set entry_closes_at = excluded.entry_closes_at,
                covered_until = excluded.covered_until, refunded_at = excluded.refunded_at
            """,
            file.OrderId, file.LineId, file.BuyerId, file.MerchantId, file.Category, file.Details.Sku, file.Details.Title, file.TimeZoneId,
            file.TransactionSucceededAt, EntryClosesAt(file), CoveredUntil(file), file.RefundedAt);
        foreach (var claimId in events.Select(ClaimView.ClaimOf).OfType<Guid>().Distinct())
        {
            // A claim refused outright is kept in the file by its id alone; its rejection tells the rest.
            if ((file.ClaimById(claimId) ?? events.OfType<WarrantyFileEvent.ClaimRejected>().Where(e => e.ClaimId == claimId)
                    .Select(e => new ClaimRecord(e.ClaimId, e.Filing, ClaimStatus.Rejected, null, null, null, null, null, null)).FirstOrDefault())
                is not { } claim)
            {
                continue;
            }
            var filing = claim.Filing;
            Queue(session, """
                insert into claim_list (claim_id, order_id, line_id, buyer_id, merchant_id, filed_by_role, filed_by_id, status, fault,
                    remedy_asked, filed_at, respond_by, time_zone)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (claim_id) do update set status = excluded.status, respond_by = excluded.respond_by
                """,
                claim.ClaimId, file.OrderId, file.LineId, file.BuyerId, file.MerchantId, ToContract(filing.Claimant.ActingAs).ToString(),
                filing.Claimant.ActorId, claim.Status.ToString(), ToContract(filing.Fault).ToString(), ToContract(filing.RemedyAsked).ToString(),
                filing.FiledAt, claim.RespondBy, file.TimeZoneId);
        }
    }

    /// <summary>The last moment a claim that needs the merchant can be filed without a reopening: the base window or a reopening.</summary>
    private static DateTimeOffset EntryClosesAt(WarrantyFile.Activated file) =>
        file.Reopenings.Select(r => r.End).Append(file.EntryClosesAt).Max();

    /// <summary>When the last of the buyer's coverages ends; the long-discovery window only reopens the entry, so it is not one.</summary>
    private static DateTimeOffset? CoveredUntil(WarrantyFile.Activated file) =>
        file.Coverages.Where(c => c.Kind != CoverageKind.LongDiscovery).Select(c => (DateTimeOffset?)c.Period.End).Max();

    private static void Queue(Session session, string sql, params object?[] values) =>
        // timestamptz takes UTC only; an instant a message gave with its sender's offset is the same moment.
        session.Queue(sql, [.. values.Select(value => value is DateTimeOffset instant ? instant.ToUniversalTime() : value)]);
}
