using MassTransit;
using Order.Domain;
using Platform.Contracts.Orders.V1;
using Platform.EventSourcing.Pipeline;

namespace Order.Service.Features.ConfirmReceiptAutomatically;

/// <summary>
/// The confirmation the service scheduled for itself when the order shipped. The decider checks it
/// against the order: it completes a shipped order that is still open, changes nothing for one the
/// buyer confirmed first, and is scheduled again for its due time when it came before it by this
/// service's clock.
/// </summary>
public sealed class AutomaticReceiptConfirmationConsumer(MessagePipeline pipeline, OrderStream orders, OrderPolicy policy, TimeProvider clock)
    : IConsumer<AutomaticReceiptConfirmationDue>
{
    /// <summary>
    /// The inbox key of these messages: the queue's name today, but fixed here, because a key that
    /// changed with a class rename would let every message consumed before it be applied again.
    /// </summary>
    public const string Name = "order-automatic-receipt-confirmation";

    public Task Consume(ConsumeContext<AutomaticReceiptConfirmationDue> context) =>
        pipeline.Consume(context, Name, async (work, due, ct) =>
        {
            // The service's clock, not the message's due time: the order completes when the period has truly run out.
            var command = new OrderCommand.ConfirmReceiptAutomatically(due.OrderId, clock.GetUtcNow());
            var handled = await work.Handle(orders.Aggregate, OrderStream.StreamId(command.OrderId),
                order => OrderDecider.Decide(command, order, policy), ct);
            return handled.Refusal;
        });
}
