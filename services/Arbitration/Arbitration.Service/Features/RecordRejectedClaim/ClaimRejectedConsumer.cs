using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Warranty.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Features.RecordRejectedClaim;

/// <summary>Keeps a rejected claim, so that its buyer can appeal it and the case be filled in from it.</summary>
public sealed class ClaimRejectedConsumer(MessagePipeline pipeline) : IConsumer<ClaimRejected>
{
    /// <summary>The inbox key of these messages, fixed so that a class rename does not apply consumed ones again.</summary>
    public const string Name = "arbitration-claim-rejected";

    public Task Consume(ConsumeContext<ClaimRejected> context) =>
        pipeline.Consume(context, Name, (work, rejected, _) =>
        {
            var missing = Required.Missing(
                    ("claimId", rejected.ClaimId), ("orderId", rejected.OrderId), ("lineId", rejected.LineId), ("buyerId", rejected.BuyerId),
                    ("faultDescription", rejected.FaultDescription))
                ?? Required.MissingLineFacts(rejected.AppealMayHelp, rejected.MerchantId, rejected.ShippingRegion, rejected.Sku,
                    rejected.Title, rejected.Category, rejected.Brand);
            if (missing is not null)
            {
                return Task.FromResult<Refusal?>(Refusal.Of(CaseRefusalCode.MissingField, $"claim rejection {rejected.ClaimId} cannot be appealed: {missing}"));
            }
            AppealableDecisions.Keep(work.Session, new AppealableDecisions.Decision(
                AppealSubject.ClaimRejected, rejected.ClaimId, rejected.OrderId, rejected.LineId, rejected.BuyerId, rejected.MerchantId,
                rejected.ShippingRegion, rejected.Sku, rejected.Title, rejected.Category, rejected.Brand, rejected.FaultDescription,
                rejected.RemedyAsked.ToString(), rejected.Reason.ToString(), rejected.AppealMayHelp, rejected.RejectedAt));
            return Task.FromResult<Refusal?>(null);
        });
}
