using System.Globalization;
using MassTransit;
using Order.Domain;
using Platform.EventSourcing.Pipeline;
using Trade = Platform.Contracts.Trade.V1;

namespace Order.Service.Features.RecordTradeEvents;

/// <summary>
/// The trade system's events, each applied to its order's stream: one queue for all of them, since
/// they arrive in any order anyway and the stream's version settles every race.
/// </summary>
public sealed class TradeEventsConsumer(MessagePipeline pipeline, OrderStream orders, OrderPolicy policy, OrderMetrics metrics) :
    IConsumer<Trade.OrderPlaced>,
    IConsumer<Trade.OrderPaid>,
    IConsumer<Trade.OrderShipped>,
    IConsumer<Trade.OrderDelivered>,
    IConsumer<Trade.OrderReceiptConfirmed>,
    IConsumer<Trade.OrderLineRefunded>
{
    /// <summary>
    /// The inbox key of these messages: the queue's name today, but fixed here, because a key that
    /// changed with a class rename would let every message consumed before it be applied again.
    /// </summary>
    public const string Name = "order-trade-events";

    public Task Consume(ConsumeContext<Trade.OrderPlaced> context)
    {
        var placed = context.Message;
        return Record(context, new TradeEvent.OrderPlaced(
            placed.OrderId,
            placed.BuyerId,
            placed.MerchantId,
            placed.ShippingRegion,
            placed.PlacedAt,
            // Required on the wire, yet a producer can still send null: the decider refuses an order
            // without lines, or with an empty one, and says which.
            placed.Lines is null ? [] : [.. placed.Lines.Select(line => line is null ? null! : Line(line))]));
    }

    public Task Consume(ConsumeContext<Trade.OrderPaid> context) =>
        Record(context, new TradeEvent.OrderPaid(context.Message.OrderId, context.Message.PaidAt));

    public Task Consume(ConsumeContext<Trade.OrderShipped> context) =>
        Record(context, new TradeEvent.OrderShipped(context.Message.OrderId, context.Message.ShippedAt));

    public Task Consume(ConsumeContext<Trade.OrderDelivered> context) =>
        Record(context, new TradeEvent.OrderDelivered(context.Message.OrderId, context.Message.DeliveredAt));

    public Task Consume(ConsumeContext<Trade.OrderReceiptConfirmed> context) =>
        Record(context, new TradeEvent.OrderReceiptConfirmed(context.Message.OrderId, context.Message.ConfirmedAt));

    public Task Consume(ConsumeContext<Trade.OrderLineRefunded> context)
    {
        var refund = context.Message;
        return Record(context,
            new TradeEvent.OrderLineRefunded(refund.OrderId, RefundId(refund), refund.LineId, refund.RefundAmount, refund.RefundedAt));
    }

    /// <summary>Decides the trade event on its order's stream; a refused one is also counted, by its code, once kept.</summary>
    private Task Record<TMessage>(ConsumeContext<TMessage> context, TradeEvent trade)
        where TMessage : class =>
        pipeline.Consume(context, Name, async (work, _, ct) =>
        {
            var handled = await work.Handle(orders.Aggregate, OrderStream.StreamId(trade.OrderId),
                order => OrderDecider.Decide(trade, order, policy), ct);
            if (handled.Refusal is { } refusal)
            {
                work.AfterCommit(() => metrics.Refused(refusal.Code));
            }
            return handled.Refusal;
        });

    /// <summary>
    /// A line may be refunded in parts, and the decider tells a second part from a redelivery of the
    /// first by its id: the trade system's own, so two parts alike in line, amount and instant count
    /// twice. A producer not yet sending it gets what the contract says is assumed without it: a
    /// re-sent refund repeats its content, so the id is made of it, the line, the amount without
    /// trailing zeros (300 and 300.00 are one refund) and the instant in UTC; the ids stored before the
    /// contract carried one were made the same way.
    /// </summary>
    internal static string RefundId(Trade.OrderLineRefunded refund) =>
        string.IsNullOrWhiteSpace(refund.RefundId)
            ? string.Create(CultureInfo.InvariantCulture,
                $"{refund.LineId}/{refund.RefundAmount / 1.0000000000000000000000000000m}/{refund.RefundedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}")
            : refund.RefundId;

    private static OrderLine Line(Trade.OrderLine line) => new(
        line.LineId,
        line.Sku,
        line.Title,
        line.Category,
        line.Brand,
        line.UnitPrice,
        line.Quantity,
        line.ManufacturerWarrantyMonths,
        line.MerchantWarrantyMonths,
        line.ExtendedWarranty is { } plan ? new ExtendedWarrantyPurchase(plan.PlanYears, plan.PricePaid, plan.IncludesAccidentalDamage) : null);
}
