using MassTransit;
using Platform.Contracts.Orders.V1;
using Platform.EventSourcing;
using Warranty.Domain;

namespace Warranty.Service.Features.RecordLineRefund;

/// <summary>
/// A refunded line takes no more claims; an open claim on it closes and its extended warranty is cancelled with
/// a full refund. A refund that arrives before the order completes is kept and honoured at activation.
/// </summary>
public sealed class OrderLineRefundedConsumer(EventStore store, WarrantyPolicy policy, WarrantyMetrics metrics, ILogger<OrderLineRefundedConsumer> logger)
    : IConsumer<OrderLineRefunded>
{
    public const string Name = "warranty-order-line-refunded";

    public async Task Consume(ConsumeContext<OrderLineRefunded> context)
    {
        var ct = context.CancellationToken;
        var refund = context.Message;
        await using var session = await store.OpenSession(context, Name, ct);
        if (await session.AlreadyConsumed(ct))
        {
            return;
        }

        IReadOnlyList<WarrantyFileEvent> events = [];
        if (string.IsNullOrWhiteSpace(refund.OrderId) || string.IsNullOrWhiteSpace(refund.LineId))
        {
            session.Refuse(logger, refund, RefusalCodes.InvalidMessage, "OrderLineRefunded refused: orderId and lineId are required.");
        }
        else
        {
            var file = await WarrantyFiles.Load(session, refund.OrderId, refund.LineId, ct);
            events = session.DecideOrRefuse(logger, refund, new WarrantyFileCommand.RecordLineRefund(refund.RefundedAt), file.State, policy);
            await session.Record(file, events, ct);
        }

        if (await session.Commit(ct) == CommitResult.Committed)
        {
            metrics.Count(events);
        }
    }
}
