using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Features.OpenCaseFromClaimEscalation;

/// <summary>A buyer escalated a claim its merchant refused: a case opens that the merchant answers.</summary>
public sealed class ClaimEscalatedConsumer(MessagePipeline pipeline, CaseOpening opening, TimeProvider clock) : IConsumer<ClaimEscalated>
{
    /// <summary>The inbox key of these messages, fixed so that a class rename does not apply consumed ones again.</summary>
    public const string Name = "arbitration-claim-escalated";

    public Task Consume(ConsumeContext<ClaimEscalated> context) =>
        pipeline.Consume(context, Name, async (work, escalated, ct) =>
        {
            var open = new CaseCommand.OpenCase(
                CaseIds.ForClaim(escalated.ClaimId),
                escalated.OrderId,
                escalated.LineId,
                escalated.BuyerId,
                new Arbitration.Domain.CaseOrigin.ClaimRefusedByMerchant(escalated.ClaimId, escalated.MerchantId, ContractMapping.ClaimRemedyOf(escalated.RemedyGranted)),
                new DisputedItem(escalated.ShippingRegion, escalated.Sku, escalated.Title, escalated.Category, escalated.Brand, escalated.FaultDescription),
                clock.GetUtcNow());
            var statement = new BuyerStatement(escalated.Statement, [.. (escalated.EvidenceLinks ?? []).Select(link => link.OriginalString)]);
            return await opening.Open(work, open, statement, ct) is OpeningOutcome.Refused { Refusal: var refusal } ? refusal : null;
        });
}
