using MassTransit;
using Platform.Contracts.Orders.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Warranty.Domain;

namespace Warranty.Service.Features.RecordLineRefund;

/// <summary>
/// A refunded line takes no more claims; an open claim on it closes and its extended warranty is cancelled with
/// a full refund. A refund that arrives before the order completes is kept and honoured at activation.
/// </summary>
public sealed class OrderLineRefundedConsumer(MessagePipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy)
    : IConsumer<OrderLineRefunded>
{
    public const string Name = "warranty-order-line-refunded";

    public Task Consume(ConsumeContext<OrderLineRefunded> context) =>
        pipeline.Consume(context, Name, async (work, refund, ct) =>
        {
            if (string.IsNullOrWhiteSpace(refund.OrderId) || string.IsNullOrWhiteSpace(refund.LineId))
            {
                return new Refusal(ContractVocabulary.InvalidMessage, "OrderLineRefunded refused: orderId and lineId are required.");
            }
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(refund.OrderId, refund.LineId),
                file => WarrantyFileDecider.Decide(new WarrantyFileCommand.RecordLineRefund(refund.RefundedAt), file.State, policy), ct);
            return handled.Refusal;
        });
}
