using MassTransit;
using Platform.Contracts.Orders.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults;
using Warranty.Domain;

namespace Warranty.Service.Features.ActivateWarranty;

/// <summary>
/// The transaction succeeded: every line gets its warranty file, with its coverages counted from the local date d0.
/// Orders complete in bursts, and each costs little more than its database round trips, so they are taken in
/// batches: one load and one commit for all the orders of a batch, and an order that cannot be decided refused
/// alone (see <see cref="MessagePipeline.ConsumeBatch{TMessage}"/>).
/// </summary>
public sealed class OrderCompletedConsumer(MessagePipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy)
    : IConsumer<Batch<OrderCompleted>>
{
    public const string Name = "warranty-order-completed";

    public Task Consume(ConsumeContext<Batch<OrderCompleted>> context) =>
        pipeline.ConsumeBatch(context, Name, FilesOf, Activate);

    private static IEnumerable<string> FilesOf(OrderCompleted order) =>
        order.OrderId is null || order.Lines is null
            ? []
            : order.Lines.Where(l => l?.LineId is not null).Select(l => WarrantyFileStream.StreamId(order.OrderId, l.LineId));

    private async Task<Refusal?> Activate(UnitOfWork work, OrderCompleted order, CancellationToken ct)
    {
        if (Problem(order) is { } problem)
        {
            return new Refusal(ContractVocabulary.InvalidMessage, problem);
        }
        var refused = new List<string>();
        foreach (var line in order.Lines)
        {
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(order.OrderId, line.LineId),
                file => Decide(order, line, file.State), ct);
            if (handled.Refusal is { } refusal)
            {
                refused.Add($"Line {line.LineId}: {refusal.Reason}");
            }
        }
        // The lines that could be activated are; the refused ones keep their reason in their file and here.
        return refused.Count == 0 ? null : Refusal.Of(WarrantyRefusalCode.ActivationRefused, string.Join(" ", refused));
    }

    private Decision<WarrantyFileEvent> Decide(OrderCompleted order, CompletedOrderLine line, WarrantyFile file)
    {
        var activate = new WarrantyFileCommand.ActivateWarranty(
            order.OrderId, line.LineId, order.BuyerId, order.MerchantId, line.Category,
            new LineDetails(line.Sku, line.Title, line.Brand, order.ShippingRegion),
            line.ManufacturerWarrantyMonths, line.MerchantWarrantyMonths,
            line.ExtendedWarranty is { } plan ? new Warranty.Domain.ExtendedWarrantyPurchase(plan.PlanYears, plan.PricePaid, plan.IncludesAccidentalDamage) : null,
            order.CompletedAt,
            line.UnitPrice * line.Quantity);
        if (!line.Refunded)
        {
            return WarrantyFileDecider.Decide(activate, file, policy);
        }
        // A line refunded before completion: its refund is recorded first (by the completion at the latest), so
        // the file it opens is a refunded one, which takes no claims, and the plan bought with it is refunded in full.
        var refund = WarrantyFileDecider.Decide(new WarrantyFileCommand.RecordLineRefund(order.CompletedAt), file, policy).Events;
        var activation = WarrantyFileDecider.Decide(activate, refund.Aggregate(file, WarrantyFile.Evolve), policy);
        return activation is Decision<WarrantyFileEvent>.Refused refused
            ? new Decision<WarrantyFileEvent>.Refused(refused.Refusal, [.. refund, .. refused.Events])
            : Decide<WarrantyFileEvent>.Accept([.. refund, .. activation.Events]);
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

/// <summary>Batches as the platform's settings say (PLATFORM_CONSUMER_BATCH_SIZE, PLATFORM_CONSUMER_BATCH_WAIT_MS, PLATFORM_CONSUMER_BATCHES).</summary>
public sealed class OrderCompletedConsumerDefinition : ConsumerDefinition<OrderCompletedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<OrderCompletedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        context.GetRequiredService<ConsumerBatching>().Apply(consumerConfigurator);
}
