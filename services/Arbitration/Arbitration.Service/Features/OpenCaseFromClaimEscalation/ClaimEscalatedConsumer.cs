using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;

namespace Arbitration.Service.Features.OpenCaseFromClaimEscalation;

/// <summary>A buyer escalated a claim its merchant refused: a case opens that the merchant answers.</summary>
public sealed class ClaimEscalatedConsumer(EventStore store, CaseOpening opening, ArbitrationMetrics metrics, TimeProvider clock) : IConsumer<ClaimEscalated>
{
    public async Task Consume(ConsumeContext<ClaimEscalated> context)
    {
        var ct = context.CancellationToken;
        var escalated = context.Message;
        await using var session = await store.OpenSession(context, "arbitration-claim-escalated", ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var open = new CaseCommand.OpenCase(
            CaseIds.ForClaim(escalated.ClaimId),
            escalated.OrderId,
            escalated.LineId,
            escalated.BuyerId,
            new Arbitration.Domain.CaseOrigin.ClaimRefusedByMerchant(escalated.ClaimId, escalated.MerchantId, ContractMapping.ClaimRemedyOf(escalated.RemedyGranted)),
            new DisputedItem(escalated.ShippingRegion, escalated.Sku, escalated.Title, escalated.Category, escalated.Brand, escalated.FaultDescription),
            clock.GetUtcNow());
        var statement = new BuyerStatement(escalated.Statement, [.. (escalated.EvidenceLinks ?? []).Select(link => link.OriginalString)]);
        var outcome = await opening.Open(session, open, statement, ct);
        if (outcome is OpeningOutcome.Refused { Refusal: var refusal })
        {
            session.RecordRefusal(escalated, refusal.Code.ToString(), refusal.Reason);
        }
        if (await session.Commit(ct) == CommitResult.Committed && outcome is OpeningOutcome.Opened { Change: var change })
        {
            metrics.Record(change);
        }
    }
}
