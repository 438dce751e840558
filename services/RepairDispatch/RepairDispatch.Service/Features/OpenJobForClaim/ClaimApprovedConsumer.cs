using MassTransit;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Jobs;

namespace RepairDispatch.Service.Features.OpenJobForClaim;

/// <summary>A repair approved under the national joint warranty or an extended warranty opens a job and dispatches it.</summary>
public sealed class ClaimApprovedConsumer(EventStore store, RepairJobWorkflow jobs) : IConsumer<ClaimApproved>
{
    public const string Consumer = "repairdispatch-claim-approved";

    public async Task Consume(ConsumeContext<ClaimApproved> context)
    {
        var claim = context.Message;
        // Returns, replacements and merchant-answered repairs are the merchant's to carry out, not a provider's.
        if (claim.RemedyGranted != Remedy.Repair || claim.AnsweredBy is not (ResponsibleParty.Brand or ResponsibleParty.ExtendedWarrantyProgramme))
        {
            return;
        }

        var ct = context.CancellationToken;
        await using var session = await store.OpenSession(context, Consumer, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }
        var request = new RepairRequest(claim.OrderId, claim.LineId, claim.BuyerId, claim.ShippingRegion, claim.Category, claim.Brand,
            claim.Sku, claim.Title, claim.FaultDescription);
        if (RepairRequests.Missing(request, claim.ClaimId) is { } missing)
        {
            session.RecordRefusal(claim, "IncompleteClaim", $"The approved claim has no {missing}; a provider cannot be chosen or briefed without it.");
            await session.Commit(ct);
            return;
        }

        var jobId = NameBasedIds.JobForClaim(claim.ClaimId);
        var payer = claim.AnsweredBy == ResponsibleParty.Brand ? RepairPayer.Brand : RepairPayer.ExtendedWarrantyProgramme;
        var outcome = await jobs.Run(session, jobId, request,
            job => new RepairJobCommand.OpenForApprovedClaim(jobId, claim.ClaimId, request, payer, job.Providers, job.Now), ct);
        if (outcome.Refusal is { } refusal)
        {
            session.RecordRefusal(claim, refusal.Code.ToString(), refusal.Reason);
        }
        await jobs.Commit(session, outcome, ct);
    }
}
