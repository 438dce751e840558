using MassTransit;
using Order.Domain;
using Platform.Contracts.Orders.V1;

namespace Order.Service.Features.ConfirmReceiptAutomatically;

/// <summary>
/// The confirmation the service scheduled for itself when the order shipped. The decider checks it
/// against the order: it completes a shipped order that is still open, changes nothing for one the
/// buyer confirmed first, and is scheduled again when it came before its time.
/// </summary>
public sealed class AutomaticReceiptConfirmationConsumer(OrderUnitOfWork orders, TimeProvider clock) : IConsumer<AutomaticReceiptConfirmationDue>
{
    /// <summary>
    /// The inbox key of these messages: the queue's name today, but fixed here, because a key that
    /// changed with a class rename would let every message consumed before it be applied again.
    /// </summary>
    public const string Name = "order-automatic-receipt-confirmation";

    public Task Consume(ConsumeContext<AutomaticReceiptConfirmationDue> context) =>
        orders.Run(context, Name, new OrderCommand.ConfirmReceiptAutomatically(context.Message.OrderId, clock.GetUtcNow()));
}
