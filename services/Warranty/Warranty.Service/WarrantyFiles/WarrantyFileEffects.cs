using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Warranty.Domain;
using Warranty.Service.ReadModels;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Service;

/// <summary>
/// What a warranty file's events cause besides being stored, in the same unit of work: the announcement of
/// each event, the merchant's deadline, the claim index and the worklists' rows. Every feature goes through the pipeline and so
/// through here, so a claim approved over HTTP and one approved from a message leave the same trace.
/// </summary>
public static class WarrantyFileEffects
{
    public static Task Apply(Session session, Applied<LoadedFile, WarrantyFileEvent> applied, CancellationToken ct)
    {
        foreach (var (@event, file) in applied.Steps)
        {
            if (file.State is not WarrantyFile.Activated after)
            {
                continue;
            }
            switch (@event)
            {
                case ClaimApproved { ClaimId: var claimId, Filing: var filing }:
                    ClaimIndex.Add(session, claimId, new ClaimLocation(after.OrderId, after.LineId), filing.FiledAt);
                    break;
                case ClaimRejected { ClaimId: var claimId, Filing: var filing }:
                    ClaimIndex.Add(session, claimId, new ClaimLocation(after.OrderId, after.LineId), filing.FiledAt);
                    break;
                case ClaimAwaitingMerchant waiting:
                    session.Schedule(waiting.RespondBy, Announcements.Deadline(waiting, after), id: MerchantDeadlineId(waiting.ClaimId));
                    break;
                // The merchant answered in time: left in place, the deadline would fire at the 48 hours to change nothing.
                case ClaimAcceptedByMerchant { BySilence: false, ClaimId: var claimId }:
                    session.CancelScheduled(MerchantDeadlineId(claimId));
                    break;
                case ClaimRefusedByMerchant { ClaimId: var claimId }:
                    session.CancelScheduled(MerchantDeadlineId(claimId));
                    break;
            }
            if (Announcements.For(@event, after) is { } message)
            {
                session.Publish(message);
            }
        }
        if (applied.After.State is WarrantyFile.Activated last)
        {
            WorklistRows.Save(session, last, [.. applied.Steps.Select(s => s.Event)]);
        }
        return Task.CompletedTask;
    }

    /// <summary>A claim awaits its merchant once, so its deadline has an id of its own.</summary>
    public static Guid MerchantDeadlineId(Guid claimId) => ScheduledMessageIds.For("warranty-merchant-response-deadline", claimId.ToString("N"));
}
