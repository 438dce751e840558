using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Warranty.Domain;
using static Warranty.Service.ContractVocabulary;

namespace Warranty.Service.Features.ResolveClaim;

/// <summary>A repair provider finished the job serving a claim: the claim is resolved, and its days in repair extend 三包.</summary>
public sealed class RepairJobCompletedConsumer(MessagePipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy)
    : IConsumer<RepairJobCompleted>
{
    public const string Name = "warranty-repair-job-completed";

    public Task Consume(ConsumeContext<RepairJobCompleted> context) =>
        pipeline.Consume(context, Name, async (work, job, ct) =>
        {
            // A job a ruling ordered serves no claim: the ruling already settled it.
            if (job.ClaimId is not { } claimId)
            {
                return null;
            }
            if (!Enum.IsDefined(job.Outcome))
            {
                return new Refusal(InvalidMessage, $"RepairJobCompleted refused: outcome {job.Outcome} is not a repair outcome.");
            }
            if (await ClaimIndex.Find(work.Session, claimId, ct) is not { } location || location != new ClaimLocation(job.OrderId, job.LineId))
            {
                return Refusal.Of(WarrantyRefusalCode.UnknownClaim, $"No claim {claimId} on order {job.OrderId} line {job.LineId}.");
            }
            var command = new WarrantyFileCommand.CompleteRepair(claimId, ToDomain(job.Outcome), job.CompletedAt, job.JobId);
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(location.OrderId, location.LineId),
                file => WarrantyFileDecider.Decide(command, file.State, policy), ct);
            return handled.Refusal;
        });
}
