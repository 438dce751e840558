using Arbitration.Service.Cases;
using Arbitration.Service.ReadModels;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;

namespace Arbitration.Service.Features.RecordDeniedReopen;

/// <summary>Keeps a denied reopen request, so that its buyer can appeal it and the case be filled in from it.</summary>
public sealed class ReopenDeniedConsumer(EventStore store) : IConsumer<ReopenDenied>
{
    public async Task Consume(ConsumeContext<ReopenDenied> context)
    {
        var ct = context.CancellationToken;
        var denied = context.Message;
        await using var session = await store.OpenSession(context, "arbitration-reopen-denied", ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var missing = Required.Missing(
            ("requestId", denied.RequestId), ("orderId", denied.OrderId), ("lineId", denied.LineId), ("buyerId", denied.BuyerId),
            ("merchantId", denied.MerchantId), ("shippingRegion", denied.ShippingRegion), ("sku", denied.Sku), ("title", denied.Title),
            ("category", denied.Category), ("brand", denied.Brand), ("faultDescription", denied.FaultDescription));
        if (missing is not null)
        {
            session.RecordRefusal(denied, "MissingField", $"reopen denial {denied.RequestId} cannot be appealed: {missing}");
        }
        else
        {
            await AppealableDecisions.Keep(session, new AppealableDecisions.Decision(
                AppealSubject.ReopenDenied, denied.RequestId, denied.OrderId, denied.LineId, denied.BuyerId, denied.MerchantId,
                denied.ShippingRegion, denied.Sku, denied.Title, denied.Category, denied.Brand, denied.FaultDescription,
                RemedyAsked: null, denied.Reason.ToString(), denied.AppealMayHelp, denied.DeniedAt), ct);
        }
        await session.Commit(ct);
    }
}
