using Platform.EventSourcing;
using Warranty.Domain;
using Warranty.Service.ReadModels;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Service;

public static class Recording
{
    /// <summary>
    /// Appends a decision to its warranty file and, in the same unit of work, everything that follows from it:
    /// the announcement of each event, the merchant's deadline, and the claim index. Every feature records
    /// through here, so a claim approved over HTTP and one approved from a message leave the same trace.
    /// </summary>
    /// <returns>The file with the decision applied.</returns>
    public static async Task<WarrantyFile> Record(this Session session, LoadedFile file, IReadOnlyList<WarrantyFileEvent> events, CancellationToken ct)
    {
        session.Append(file.Stream, events);
        var state = file.State;
        foreach (var @event in events)
        {
            state = WarrantyFile.Evolve(state, @event);
            if (state is not WarrantyFile.Activated after)
            {
                continue;
            }
            switch (@event)
            {
                case ClaimApproved { ClaimId: var claimId, Filing: var filing }:
                    await ClaimIndex.Add(session, claimId, new ClaimLocation(after.OrderId, after.LineId), filing.FiledAt, ct);
                    break;
                case ClaimRejected { ClaimId: var claimId, Filing: var filing }:
                    await ClaimIndex.Add(session, claimId, new ClaimLocation(after.OrderId, after.LineId), filing.FiledAt, ct);
                    break;
                case ClaimAwaitingMerchant waiting:
                    session.Schedule(waiting.RespondBy, Announcements.Deadline(waiting, after));
                    break;
            }
            if (Announcements.For(@event, after) is { } message)
            {
                session.Publish(message);
            }
        }
        return state;
    }
}
