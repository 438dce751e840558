using MassTransit;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;
using Warranty.Domain;
using Warranty.Service.ReadModels;

namespace Warranty.Service.Features.AnswerClaim;

/// <summary>
/// The merchant's time is up: a claim still waiting is accepted on the merchant's behalf. The decider checks the
/// claim, so a deadline that finds it already answered, or arrives twice, changes nothing.
/// </summary>
public sealed class MerchantResponseDeadlineConsumer(
    EventStore store, WarrantyPolicy policy, WarrantyMetrics metrics, TimeProvider clock, ILogger<MerchantResponseDeadlineConsumer> logger)
    : IConsumer<MerchantResponseDeadline>
{
    public const string Name = "warranty-merchant-response-deadline";

    public async Task Consume(ConsumeContext<MerchantResponseDeadline> context)
    {
        var ct = context.CancellationToken;
        var deadline = context.Message;
        await using var session = await store.OpenSession(context, Name, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }

        IReadOnlyList<WarrantyFileEvent> events = [];
        if (await ClaimIndex.Find(session, deadline.ClaimId, ct) is not { } location || location.OrderId != deadline.OrderId)
        {
            session.Refuse(logger, deadline, RefusalCodes.UnknownClaim, $"No claim {deadline.ClaimId} on order {deadline.OrderId}.");
        }
        else
        {
            var file = await WarrantyFiles.Load(session, location.OrderId, location.LineId, ct);
            // The service's clock, not the message's due time: silence is judged when the deadline has truly passed.
            var command = new WarrantyFileCommand.CheckMerchantResponseDeadline(deadline.ClaimId, clock.GetUtcNow());
            events = session.DecideOrRefuse(logger, deadline, command, file.State, policy);
            await session.Record(file, events, ct);
        }

        if (await session.Commit(ct) == CommitResult.Committed)
        {
            metrics.Count(events);
        }
    }
}
