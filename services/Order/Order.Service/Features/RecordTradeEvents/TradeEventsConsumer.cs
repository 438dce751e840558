using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Order.Domain;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults;
using Trade = Platform.Contracts.Trade.V1;

namespace Order.Service.Features.RecordTradeEvents;

/// <summary>
/// The trade system's events, each applied to its order's stream: one queue for all of them, since
/// they arrive in any order anyway. They come in bursts and each costs little more than its round
/// trips, so each kind is taken in batches as Warranty takes completed orders: one load and one commit
/// for a batch, a message that cannot be decided refused alone (see
/// <see cref="MessagePipeline.ConsumeBatch{TMessage}"/>). One order's events never meet in batches at
/// once (<see cref="TradeEventsConsumerDefinition"/>); another instance of the service can still race
/// this one for a stream, and the stream's version settles that race.
/// </summary>
public sealed class TradeEventsConsumer(MessagePipeline pipeline, OrderStream orders, OrderPolicy policy, OrderMetrics metrics) :
    IConsumer<Batch<Trade.OrderPlaced>>,
    IConsumer<Batch<Trade.OrderPaid>>,
    IConsumer<Batch<Trade.OrderShipped>>,
    IConsumer<Batch<Trade.OrderDelivered>>,
    IConsumer<Batch<Trade.OrderReceiptConfirmed>>,
    IConsumer<Batch<Trade.OrderLineRefunded>>
{
    /// <summary>
    /// The inbox key of these messages: the queue's name today, but fixed here, because a key that
    /// changed with a class rename would let every message consumed before it be applied again.
    /// </summary>
    public const string Name = "order-trade-events";

    public Task Consume(ConsumeContext<Batch<Trade.OrderPlaced>> context) =>
        Record(context, m => m.OrderId, placed => new TradeEvent.OrderPlaced(
            placed.OrderId,
            placed.BuyerId,
            placed.MerchantId,
            placed.ShippingRegion,
            placed.PlacedAt,
            // Required on the wire, yet a producer can still send null: the decider refuses an order
            // without lines, or with an empty one, and says which.
            placed.Lines is null ? [] : [.. placed.Lines.Select(line => line is null ? null! : Line(line))]));

    public Task Consume(ConsumeContext<Batch<Trade.OrderPaid>> context) =>
        Record(context, m => m.OrderId, m => new TradeEvent.OrderPaid(m.OrderId, m.PaidAt));

    public Task Consume(ConsumeContext<Batch<Trade.OrderShipped>> context) =>
        Record(context, m => m.OrderId, m => new TradeEvent.OrderShipped(m.OrderId, m.ShippedAt));

    public Task Consume(ConsumeContext<Batch<Trade.OrderDelivered>> context) =>
        Record(context, m => m.OrderId, m => new TradeEvent.OrderDelivered(m.OrderId, m.DeliveredAt));

    public Task Consume(ConsumeContext<Batch<Trade.OrderReceiptConfirmed>> context) =>
        Record(context, m => m.OrderId, m => new TradeEvent.OrderReceiptConfirmed(m.OrderId, m.ConfirmedAt));

    public Task Consume(ConsumeContext<Batch<Trade.OrderLineRefunded>> context) =>
        Record(context, m => m.OrderId, refund => new TradeEvent.OrderLineRefunded(refund.OrderId, RefundId(refund), refund.LineId, refund.RefundAmount, refund.RefundedAt));

    /// <summary>Decides each trade event on its order's stream; a refused one is also counted, by its code, once kept.</summary>
    private Task Record<TMessage>(ConsumeContext<Batch<TMessage>> context, Func<TMessage, string?> orderId, Func<TMessage, TradeEvent> trade)
        where TMessage : class =>
        pipeline.ConsumeBatch(context, Name,
            message => orderId(message) is { } id ? [OrderStream.StreamId(id)] : [],
            async (work, message, ct) =>
            {
                var decided = trade(message);
                var handled = await work.Handle(orders.Aggregate, OrderStream.StreamId(decided.OrderId),
                    order => OrderDecider.Decide(decided, order, policy), ct);
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

/// <summary>
/// Batches as the platform's settings say (PLATFORM_CONSUMER_BATCH_SIZE, PLATFORM_CONSUMER_BATCH_WAIT_MS), and never
/// two events of one order at once: each kind is batched apart, so an order's payment and shipment, arriving
/// together, would otherwise run in two batches on the same stream, one of which loses the race and is rolled back
/// and handled again one by one. One partitioner over all six kinds, keyed by the order, lets an event into a batch
/// only once the batch holding an earlier event of its order has finished (a message waits for its batch).
/// </summary>
public sealed class TradeEventsConsumerDefinition : ConsumerDefinition<TradeEventsConsumer>
{
    /// <summary>Well above the messages a queue has in hand (PLATFORM_CONSUMER_CONCURRENCY), so that orders seldom share one and wait for each other.</summary>
    internal const int Partitions = 256;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TradeEventsConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        context.GetRequiredService<ConsumerBatching>().Apply(consumerConfigurator);
        var byOrder = endpointConfigurator.CreatePartitioner(Partitions);
        endpointConfigurator.UsePartitioner<Trade.OrderPlaced>(byOrder, c => OrderKey(c.Message.OrderId));
        endpointConfigurator.UsePartitioner<Trade.OrderPaid>(byOrder, c => OrderKey(c.Message.OrderId));
        endpointConfigurator.UsePartitioner<Trade.OrderShipped>(byOrder, c => OrderKey(c.Message.OrderId));
        endpointConfigurator.UsePartitioner<Trade.OrderDelivered>(byOrder, c => OrderKey(c.Message.OrderId));
        endpointConfigurator.UsePartitioner<Trade.OrderReceiptConfirmed>(byOrder, c => OrderKey(c.Message.OrderId));
        endpointConfigurator.UsePartitioner<Trade.OrderLineRefunded>(byOrder, c => OrderKey(c.Message.OrderId));
    }

    /// <summary>The partitioner takes a Guid: the order id's hash, the same for one order whatever the kind of event.</summary>
    internal static Guid OrderKey(string? orderId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes(orderId ?? ""))[..16]);
}
