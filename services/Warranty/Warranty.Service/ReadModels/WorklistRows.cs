using Platform.EventSourcing;
using Warranty.Domain;
using Warranty.Service.Views;
using static Warranty.Service.ContractVocabulary;

namespace Warranty.Service.ReadModels;

/// <summary>
/// Writes the rows of claim_list and warranty_list as a unit of work leaves the file: the file's row, and the row of
/// each claim its events touched. Written with the unit of work's commit, one statement per table for a whole
/// batch, so the worklists cost no round trip of their own (nothing in the unit of work reads them back).
/// </summary>
public static class WorklistRows
{
    private static readonly BatchedUpsert WarrantyRow = new("warranty_list",
        [("order_id", "text"), ("line_id", "text"), ("buyer_id", "text"), ("merchant_id", "text"), ("category", "text"), ("sku", "text"),
         ("title", "text"), ("time_zone", "text"), ("completed_at", "timestamptz"), ("entry_closes_at", "timestamptz"),
         ("covered_until", "timestamptz"), ("refunded_at", "timestamptz")],
        keyColumns: 2, updated: ["entry_closes_at", "covered_until", "refunded_at"]);

    private static readonly BatchedUpsert ClaimRow = new("claim_list",
        [("claim_id", "uuid"), ("order_id", "text"), ("line_id", "text"), ("buyer_id", "text"), ("merchant_id", "text"), ("filed_by_role", "text"),
         ("filed_by_id", "text"), ("status", "text"), ("fault", "text"), ("remedy_asked", "text"), ("filed_at", "timestamptz"),
         ("respond_by", "timestamptz"), ("time_zone", "text")],
        keyColumns: 1, updated: ["status", "respond_by"]);

    public static void Save(Session session, WarrantyFile.Activated file, IReadOnlyList<WarrantyFileEvent> events)
    {
        session.Upsert(WarrantyRow,
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
            session.Upsert(ClaimRow,
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
}
