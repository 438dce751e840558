using Order.Domain;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;

namespace Order.Service;

/// <summary>
/// What an order's events cause besides being stored, in the same unit of work. The trade events and the
/// scheduled confirmation both come through here, so an order ships, completes and refunds the same way
/// whichever message caused it (an OrderPlaced applying parked events included).
/// </summary>
public sealed class OrderEffects(ILogger<OrderEffects> logger)
{
    public Task Apply(Session session, Applied<OrderState, OrderEvent> applied, CancellationToken ct)
    {
        foreach (var (@event, _) in applied.Steps)
        {
            Announce(session, @event, applied.Stream.State, applied.After);
        }
        return Task.CompletedTask;
    }

    /// <summary>An order ships once, so its automatic confirmation has an id of its own.</summary>
    public static Guid AutomaticConfirmationId(string orderId) => ScheduledMessageIds.For("order-automatic-receipt-confirmation", orderId);

    private void Announce(Session session, OrderEvent @event, OrderState before, OrderState after)
    {
        switch (@event)
        {
            // An order that completed in the same decision (its parked confirmation applied with the
            // placement) has nothing left to confirm automatically.
            case OrderEvent.OrderShipped shipped when after.Completion is null:
                session.Schedule(shipped.AutoConfirmAt, ContractMapping.ConfirmationDue(shipped.OrderId, shipped.AutoConfirmAt),
                    id: AutomaticConfirmationId(shipped.OrderId));
                break;
            case OrderEvent.OrderCompleted completed:
                session.Publish(ContractMapping.Completed(completed));
                // Left in place, it would wait out the 10 days in the outbox and then fire to change nothing.
                if (completed.ConfirmedBy == ConfirmedBy.Buyer && before.AutoConfirmAt is not null)
                {
                    session.CancelScheduled(AutomaticConfirmationId(completed.OrderId));
                }
                break;
            // A partial refund is a price adjustment: the line and its warranty stand, and the other
            // services, which read this message as "the line gets no after-sales service", must not hear of it.
            case OrderEvent.OrderLineRefunded { LineFullyRefunded: true } refunded:
                session.Publish(ContractMapping.LineRefunded(refunded, after));
                break;
            // The order stands; the event that waited for it is kept where operators look for refused messages.
            case OrderEvent.ParkedTradeEventRejected rejected:
                logger.LogWarning("Rejected a parked trade event for order {OrderId}: {Code}: {Reason}", rejected.OrderId, rejected.Code, rejected.Reason);
                session.RecordRefusal(rejected.TradeEvent, rejected.Code.ToString(),
                    $"{rejected.Reason} (it arrived before order {rejected.OrderId} was placed and was set aside when the order came)");
                break;
        }
    }
}
