using MassTransit;
using Platform.Contracts.Warranty.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Warranty.Domain;

namespace Warranty.Service.Features.AnswerClaim;

/// <summary>
/// The merchant's time is up: a claim still waiting is accepted on the merchant's behalf. The decider checks the
/// claim, so a deadline that finds it already answered, or arrives twice, changes nothing; one that arrives before
/// its time by this service's clock is scheduled again for the deadline.
/// </summary>
public sealed class MerchantResponseDeadlineConsumer(MessagePipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock)
    : IConsumer<MerchantResponseDeadline>
{
    public const string Name = "warranty-merchant-response-deadline";

    public Task Consume(ConsumeContext<MerchantResponseDeadline> context) =>
        pipeline.Consume(context, Name, async (work, deadline, ct) =>
        {
            if (await ClaimIndex.Find(work.Session, deadline.ClaimId, ct) is not { } location || location.OrderId != deadline.OrderId)
            {
                return Refusal.Of(WarrantyRefusalCode.UnknownClaim, $"No claim {deadline.ClaimId} on order {deadline.OrderId}.");
            }
            // The service's clock, not the message's due time: silence is judged when the deadline has truly passed.
            var command = new WarrantyFileCommand.CheckMerchantResponseDeadline(deadline.ClaimId, clock.GetUtcNow());
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(location.OrderId, location.LineId),
                file => WarrantyFileDecider.Decide(command, file.State, policy), ct);
            return handled.Refusal;
        });
}
