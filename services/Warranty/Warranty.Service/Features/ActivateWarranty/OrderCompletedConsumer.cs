using MassTransit;
using Platform.Contracts.Orders.V1;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Warranty.Domain;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Service.Features.ActivateWarranty;

/// <summary>
/// The transaction succeeded: every line gets its warranty file, with its coverages counted from the local date d0.
/// Orders complete in bursts, and each costs little more than its database round trips, so they are taken in
/// batches: one load and one commit for all the orders of a batch.
/// </summary>
public sealed class OrderCompletedConsumer(EventStore store, WarrantyPolicy policy, WarrantyMetrics metrics, ILogger<OrderCompletedConsumer> logger)
    : IConsumer<Batch<OrderCompleted>>
{
    public const string Name = "warranty-order-completed";

    public async Task Consume(ConsumeContext<Batch<OrderCompleted>> context)
    {
        var ct = context.CancellationToken;
        var recorded = new List<WarrantyFileEvent>();
        await using (var batch = await store.OpenBatch(ct))
        {
            await batch.Preload(context.Message.SelectMany(m => FilesOf(m.Message)), ct);
            foreach (var message in context.Message)
            {
                await Activate(batch.Add(message, Name), message.Message, recorded, ct);
            }
            if (await batch.Commit(ct) == BatchCommitResult.Committed)
            {
                metrics.Count(recorded);
                return;
            }
        }

        // A redelivered order, or two messages for the same order, in the batch: each on its own
        // tells which it was, and has its effect once.
        foreach (var message in context.Message)
        {
            var own = new List<WarrantyFileEvent>();
            await using var session = await store.OpenSession(message, Name, ct);
            if (await session.AlreadyConsumed(ct))
            {
                continue;
            }
            await Activate(session, message.Message, own, ct);
            if (await session.Commit(ct) == CommitResult.Committed)
            {
                metrics.Count(own);
            }
        }
    }

    private static IEnumerable<string> FilesOf(OrderCompleted order) =>
        order.OrderId is null || order.Lines is null
            ? []
            : order.Lines.Where(l => l?.LineId is not null).Select(l => WarrantyFiles.StreamId(order.OrderId, l.LineId));

    private async Task Activate(Session session, OrderCompleted order, List<WarrantyFileEvent> recorded, CancellationToken ct)
    {
        if (Problem(order) is { } problem)
        {
            session.Refuse(logger, order, RefusalCodes.InvalidMessage, problem);
            return;
        }
        foreach (var line in order.Lines)
        {
            var file = await WarrantyFiles.Load(session, order.OrderId, line.LineId, ct);
            var events = Decide(order, line, file.State);
            if (events.OfType<WarrantyActivationRefused>().FirstOrDefault() is { } refused)
            {
                session.Refuse(logger, order, RefusalCodes.ActivationRefused, $"Line {line.LineId}: {refused.Reason}");
            }
            await session.Record(file, events, ct);
            recorded.AddRange(events);
        }
    }

    private IReadOnlyList<WarrantyFileEvent> Decide(OrderCompleted order, CompletedOrderLine line, WarrantyFile file)
    {
        var activate = new WarrantyFileCommand.ActivateWarranty(
            order.OrderId, line.LineId, order.BuyerId, order.MerchantId, line.Category,
            new LineDetails(line.Sku, line.Title, line.Brand, order.ShippingRegion),
            line.ManufacturerWarrantyMonths, line.MerchantWarrantyMonths,
            line.ExtendedWarranty is { } plan ? new Warranty.Domain.ExtendedWarrantyPurchase(plan.PlanYears, plan.PricePaid, plan.IncludesAccidentalDamage) : null,
            order.CompletedAt);
        if (!line.Refunded)
        {
            return WarrantyFileDecider.Decide(activate, file, policy);
        }
        // A line refunded before completion: its refund is recorded first (by the completion at the latest), so
        // the file it opens is a refunded one, which takes no claims, and the plan bought with it is refunded in full.
        var refund = WarrantyFileDecider.Decide(new WarrantyFileCommand.RecordLineRefund(order.CompletedAt), file, policy);
        var refunded = refund.Aggregate(file, WarrantyFile.Evolve);
        return [.. refund, .. WarrantyFileDecider.Decide(activate, refunded, policy)];
    }

    /// <summary>What makes the whole message unusable; what is wrong with one line's promises the decider refuses for that line.</summary>
    private static string? Problem(OrderCompleted order)
    {
        var problems = new List<string>();
        foreach (var (field, value) in (ReadOnlySpan<(string, string?)>)
                 [("orderId", order.OrderId), ("buyerId", order.BuyerId), ("merchantId", order.MerchantId), ("shippingRegion", order.ShippingRegion)])
        {
            if (string.IsNullOrWhiteSpace(value))
                problems.Add($"{field} is missing");
        }
        if (order.Lines is null || order.Lines.Count == 0)
        {
            problems.Add("the order has no lines");
        }
        else
        {
            for (var i = 0; i < order.Lines.Count; i++)
            {
                var line = order.Lines[i];
                if (line is null || new[] { line.LineId, line.Sku, line.Title, line.Category, line.Brand }.Any(string.IsNullOrWhiteSpace))
                    problems.Add($"lines[{i}] lacks its lineId, sku, title, category or brand");
            }
            var repeated = order.Lines.Where(l => l?.LineId is not null).GroupBy(l => l.LineId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (repeated.Count > 0)
                problems.Add($"line ids appear twice: {string.Join(", ", repeated)}");
        }
        return problems.Count == 0 ? null : "OrderCompleted refused: " + string.Join("; ", problems) + ".";
    }
}

/// <summary>Batches as the platform's settings say (PLATFORM_CONSUMER_BATCH_SIZE, PLATFORM_CONSUMER_BATCH_WAIT_MS).</summary>
public sealed class OrderCompletedConsumerDefinition : ConsumerDefinition<OrderCompletedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<OrderCompletedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        context.GetRequiredService<ConsumerBatching>().Apply(consumerConfigurator);
}
