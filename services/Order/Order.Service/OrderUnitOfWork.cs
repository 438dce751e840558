using MassTransit;
using Order.Domain;
using Platform.EventSourcing;
using Orders = Platform.Contracts.Orders.V1;

namespace Order.Service;

/// <summary>
/// Decides one command on its order's stream, in the consumed message's unit of work, and turns the
/// decision into what the service keeps, publishes and schedules. The trade events and the scheduled
/// confirmation both come through here, so an order ships, completes and refunds the same way
/// whichever message caused it (an OrderPlaced applying parked events included).
/// </summary>
public sealed class OrderUnitOfWork(EventStore store, OrderPolicy policy, OrderMetrics metrics, ILogger<OrderUnitOfWork> logger)
{
    public async Task Run<TMessage>(ConsumeContext<TMessage> context, string consumer, OrderCommand command) where TMessage : class
    {
        var ct = context.CancellationToken;
        await using var session = await store.OpenSession(context, consumer, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }

        var stream = await OrderStream.Load(session, command.OrderId, ct);
        var decision = OrderDecider.Decide(command, stream.State, policy);
        switch (decision)
        {
            case OrderDecision.Accepted accepted:
                session.Append(stream, accepted.Events);
                var after = accepted.Events.Aggregate(stream.State, OrderState.Evolve);
                foreach (var @event in accepted.Events)
                {
                    Announce(session, @event, after);
                }
                break;
            case OrderDecision.Refused { RetryAt: { } retryAt }:
                // Only the automatic confirmation is refused for coming early: it falls due again then.
                session.Schedule(retryAt, ConfirmationDue(command.OrderId, retryAt));
                break;
            case OrderDecision.Refused refused:
                logger.LogWarning("Refused {MessageType} for order {OrderId}: {Code}: {Reason}", typeof(TMessage).Name, command.OrderId, refused.Code, refused.Reason);
                session.RecordRefusal(context.Message, refused.Code.ToString(), refused.Reason);
                break;
        }

        if (await session.Commit(ct) == CommitResult.Committed)
        {
            metrics.Record(command, decision);
        }
    }

    private void Announce(Session session, OrderEvent @event, OrderState after)
    {
        switch (@event)
        {
            // An order that completed in the same decision (its parked confirmation applied with the
            // placement) has nothing left to confirm automatically.
            case OrderEvent.OrderShipped shipped when after.Completion is null:
                session.Schedule(shipped.AutoConfirmAt, ConfirmationDue(shipped.OrderId, shipped.AutoConfirmAt));
                break;
            case OrderEvent.OrderCompleted completed:
                session.Publish(Completed(completed));
                break;
            // A partial refund is a price adjustment: the line and its warranty stand, and the other
            // services, which read this message as "the line gets no after-sales service", must not hear of it.
            case OrderEvent.OrderLineRefunded { LineFullyRefunded: true } refunded:
                session.Publish(new Orders.OrderLineRefunded
                {
                    OrderId = refunded.OrderId,
                    LineId = refunded.LineId,
                    BuyerId = after.Placement!.BuyerId,
                    // All that was refunded on the line, not only the last part: the line is refunded as a whole.
                    RefundAmount = after.RefundedAmount(refunded.LineId),
                    RefundedAt = refunded.RefundedAt,
                });
                break;
            // The order stands; the event that waited for it is kept where operators look for refused messages.
            case OrderEvent.ParkedTradeEventRejected rejected:
                logger.LogWarning("Rejected a parked trade event for order {OrderId}: {Code}: {Reason}", rejected.OrderId, rejected.Code, rejected.Reason);
                session.RecordRefusal(rejected.TradeEvent, rejected.Code.ToString(),
                    $"{rejected.Reason} (it arrived before order {rejected.OrderId} was placed and was set aside when the order came)");
                break;
        }
    }

    private static Orders.AutomaticReceiptConfirmationDue ConfirmationDue(string orderId, DateTimeOffset dueAt) =>
        new() { OrderId = orderId, DueAt = dueAt };

    private static Orders.OrderCompleted Completed(OrderEvent.OrderCompleted completed) => new()
    {
        OrderId = completed.OrderId,
        BuyerId = completed.BuyerId,
        MerchantId = completed.MerchantId,
        ShippingRegion = completed.RegionCode,
        Lines = [.. completed.Lines.Select(Line)],
        CompletedAt = completed.CompletedAt,
        ConfirmedBy = completed.ConfirmedBy switch
        {
            ConfirmedBy.Buyer => Orders.ReceiptConfirmedBy.Buyer,
            ConfirmedBy.System => Orders.ReceiptConfirmedBy.System,
            _ => throw new ArgumentOutOfRangeException(nameof(completed), completed.ConfirmedBy, "Unknown confirmer"),
        },
    };

    private static Orders.CompletedOrderLine Line(CompletedLine completed) => new()
    {
        LineId = completed.Line.LineId,
        Sku = completed.Line.Sku,
        Title = completed.Line.Title,
        Category = completed.Line.Category,
        Brand = completed.Line.Brand,
        UnitPrice = completed.Line.UnitPrice,
        Quantity = completed.Line.Quantity,
        ManufacturerWarrantyMonths = completed.Line.ManufacturerWarrantyMonths,
        MerchantWarrantyMonths = completed.Line.MerchantWarrantyMonths,
        ExtendedWarranty = completed.Line.ExtendedWarranty is { } plan
            ? new Orders.ExtendedWarrantyPurchase
            {
                PlanYears = plan.PlanYears,
                PricePaid = plan.PricePaid,
                IncludesAccidentalDamage = plan.IncludesAccidentalDamage,
            }
            : null,
        Refunded = completed.Refunded,
    };
}
