using MassTransit;
using Platform.Contracts.Warranty.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.Features.BuyerContact;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.OpenJobForClaim;

/// <summary>A repair approved under the national joint warranty or an extended warranty opens a job and dispatches it.</summary>
public sealed class ClaimApprovedConsumer(MessagePipeline pipeline, RepairJobStream jobs, TimeProvider clock) : IConsumer<ClaimApproved>
{
    public const string Consumer = "repairdispatch-claim-approved";

    public Task Consume(ConsumeContext<ClaimApproved> context)
    {
        // Returns, replacements and merchant-answered repairs are the merchant's to carry out, not a provider's.
        if (context.Message is not { RemedyGranted: Remedy.Repair, AnsweredBy: ResponsibleParty.Brand or ResponsibleParty.ExtendedWarrantyProgramme })
        {
            return Task.CompletedTask;
        }
        return pipeline.Consume(context, Consumer, async (work, claim, ct) =>
        {
            var request = new RepairRequest(claim.OrderId, claim.LineId, claim.BuyerId, claim.ShippingRegion, claim.Category, claim.Brand,
                claim.Sku, claim.Title, claim.FaultDescription);
            if (RepairRequests.Missing(request, claim.ClaimId) is { } missing)
            {
                return Refusal.Of(RepairDispatchRefusalCode.IncompleteClaim, $"The approved claim has no {missing}; a provider cannot be chosen or briefed without it.");
            }
            var jobId = NameBasedIds.JobForClaim(claim.ClaimId);
            var payer = claim.AnsweredBy == ResponsibleParty.Brand ? RepairPayer.Brand : RepairPayer.ExtendedWarrantyProgramme;
            var handled = await jobs.Open(work, jobId, request, context.GetRetryAttempt() > 0,
                job => new RepairJobCommand.OpenForApprovedClaim(jobId, claim.ClaimId, request, payer, job.Providers, job.Now), ct);
            if (handled.Refusal is null && (claim.BuyerPhone is not null || claim.ServiceAddress is not null))
            {
                await BuyerContacts.Save(work.Session, jobId, new BuyerContactDetails(claim.BuyerPhone, claim.ServiceAddress), clock.GetUtcNow(), ct);
            }
            return handled.Refusal;
        });
    }
}
