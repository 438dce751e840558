using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.EventSourcing;
using Warranty.Domain;
using Warranty.Service.ReadModels;
using static Warranty.Service.ContractVocabulary;

namespace Warranty.Service.Features.ResolveClaim;

/// <summary>A repair provider finished the job serving a claim: the claim is resolved, and its days in repair extend 三包.</summary>
public sealed class RepairJobCompletedConsumer(EventStore store, WarrantyPolicy policy, WarrantyMetrics metrics, ILogger<RepairJobCompletedConsumer> logger)
    : IConsumer<RepairJobCompleted>
{
    public const string Name = "warranty-repair-job-completed";

    public async Task Consume(ConsumeContext<RepairJobCompleted> context)
    {
        var ct = context.CancellationToken;
        var job = context.Message;
        await using var session = await store.OpenSession(context, Name, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }

        IReadOnlyList<WarrantyFileEvent> events = [];
        // A job a ruling ordered serves no claim: the ruling already settled it.
        if (job.ClaimId is { } claimId)
        {
            if (!Enum.IsDefined(job.Outcome))
            {
                session.Refuse(logger, job, RefusalCodes.InvalidMessage, $"RepairJobCompleted refused: outcome {job.Outcome} is not a repair outcome.");
            }
            else if (await ClaimIndex.Find(session, claimId, ct) is not { } location || location != new ClaimLocation(job.OrderId, job.LineId))
            {
                session.Refuse(logger, job, RefusalCodes.UnknownClaim, $"No claim {claimId} on order {job.OrderId} line {job.LineId}.");
            }
            else
            {
                var file = await WarrantyFiles.Load(session, location.OrderId, location.LineId, ct);
                var command = new WarrantyFileCommand.CompleteRepair(claimId, ToDomain(job.Outcome), job.CompletedAt, job.JobId);
                events = session.DecideOrRefuse(logger, job, command, file.State, policy);
                await session.Record(file, events, ct);
            }
        }

        if (await session.Commit(ct) == CommitResult.Committed)
        {
            metrics.Count(events);
        }
    }
}
