using Arbitration.Service.Cases;
using Arbitration.Service.ReadModels;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;

namespace Arbitration.Service.Features.RecordRejectedClaim;

/// <summary>Keeps a rejected claim, so that its buyer can appeal it and the case be filled in from it.</summary>
public sealed class ClaimRejectedConsumer(EventStore store) : IConsumer<ClaimRejected>
{
    public async Task Consume(ConsumeContext<ClaimRejected> context)
    {
        var ct = context.CancellationToken;
        var rejected = context.Message;
        await using var session = await store.OpenSession(context, "arbitration-claim-rejected", ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var missing = Required.Missing(
            ("claimId", rejected.ClaimId), ("orderId", rejected.OrderId), ("lineId", rejected.LineId), ("buyerId", rejected.BuyerId),
            ("merchantId", rejected.MerchantId), ("shippingRegion", rejected.ShippingRegion), ("sku", rejected.Sku), ("title", rejected.Title),
            ("category", rejected.Category), ("brand", rejected.Brand), ("faultDescription", rejected.FaultDescription));
        if (missing is not null)
        {
            session.RecordRefusal(rejected, "MissingField", $"claim rejection {rejected.ClaimId} cannot be appealed: {missing}");
        }
        else
        {
            await AppealableDecisions.Keep(session, new AppealableDecisions.Decision(
                AppealSubject.ClaimRejected, rejected.ClaimId, rejected.OrderId, rejected.LineId, rejected.BuyerId, rejected.MerchantId,
                rejected.ShippingRegion, rejected.Sku, rejected.Title, rejected.Category, rejected.Brand, rejected.FaultDescription,
                rejected.RemedyAsked.ToString(), rejected.Reason.ToString(), rejected.AppealMayHelp, rejected.RejectedAt), ct);
        }
        await session.Commit(ct);
    }
}
