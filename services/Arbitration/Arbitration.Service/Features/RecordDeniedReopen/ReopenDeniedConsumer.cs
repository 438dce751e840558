using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Warranty.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Features.RecordDeniedReopen;

/// <summary>Keeps a denied reopen request, so that its buyer can appeal it and the case be filled in from it.</summary>
public sealed class ReopenDeniedConsumer(MessagePipeline pipeline) : IConsumer<ReopenDenied>
{
    /// <summary>The inbox key of these messages, fixed so that a class rename does not apply consumed ones again.</summary>
    public const string Name = "arbitration-reopen-denied";

    public Task Consume(ConsumeContext<ReopenDenied> context) =>
        pipeline.Consume(context, Name, (work, denied, _) =>
        {
            var missing = Required.Missing(
                    ("requestId", denied.RequestId), ("orderId", denied.OrderId), ("lineId", denied.LineId), ("buyerId", denied.BuyerId),
                    ("faultDescription", denied.FaultDescription))
                ?? Required.MissingLineFacts(denied.AppealMayHelp, denied.MerchantId, denied.ShippingRegion, denied.Sku,
                    denied.Title, denied.Category, denied.Brand);
            if (missing is not null)
            {
                return Task.FromResult<Refusal?>(Refusal.Of(CaseRefusalCode.MissingField, $"reopen denial {denied.RequestId} cannot be appealed: {missing}"));
            }
            AppealableDecisions.Keep(work.Session, new AppealableDecisions.Decision(
                AppealSubject.ReopenDenied, denied.RequestId, denied.OrderId, denied.LineId, denied.BuyerId, denied.MerchantId,
                denied.ShippingRegion, denied.Sku, denied.Title, denied.Category, denied.Brand, denied.FaultDescription,
                RemedyAsked: null, denied.Reason.ToString(), denied.AppealMayHelp, denied.DeniedAt));
            return Task.FromResult<Refusal?>(null);
        });
}
