using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using Platform.Contracts.Payments.V1;
using Platform.Contracts.Trade.V1;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>
/// Plays the marketplace's trade system: each order's events, stamped with the shared business clock; and its
/// payment side, which pays the refunds and compensation the platform instructs and confirms each to the service
/// that instructed it, as docs/integrating describes.
/// </summary>
/// <param name="saboteur">Under faults, sends some events twice under one MessageId.</param>
public sealed class TradeSystem(World world, Saboteur? saboteur = null)
{
    /// <summary>Instructions paid, by id: an instruction delivered again is confirmed again, never paid twice.</summary>
    private readonly ConcurrentDictionary<Guid, string> paid = new();

    /// <summary>Binds a queue of the run's own to the two instruction exchanges, as a trade system integrating would.</summary>
    public async Task ListenForPayments()
    {
        var prefix = $"sim-{world.Plan.RunId}-";
        var handle = world.Bus.ConnectReceiveEndpoint($"simulator-{world.Plan.RunId}-payments", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                // Kept across a broker restart under faults, like the newsfeed; gone with the run otherwise.
                rabbit.AutoDelete = saboteur is null;
                rabbit.Durable = saboteur is not null;
            }
            e.Handler<RefundInstructed>(context => context.Message.OrderId.StartsWith(prefix, StringComparison.Ordinal)
                ? Pay("warranty-payment-results", context.Message.InstructionId, context.Message.OrderId, context.Message.LineId,
                    context.Message.Amount, context.Message.Currency)
                : Task.CompletedTask);
            e.Handler<CompensationInstructed>(context => context.Message.OrderId.StartsWith(prefix, StringComparison.Ordinal)
                ? Pay("arbitration-payment-results", context.Message.InstructionId, context.Message.OrderId, context.Message.LineId,
                    context.Message.Amount, context.Message.Currency)
                : Task.CompletedTask);
        });
        await handle.Ready;
    }

    /// <summary>Pays once per instruction id and sends the confirmation, under a MessageId of its own, to the instructing service.</summary>
    private Task Pay(string queue, Guid instructionId, string orderId, string lineId, decimal amount, string currency)
    {
        var reference = paid.GetOrAdd(instructionId, id => $"PAY-{world.Plan.RunId}-{id:N}");
        var confirmation = new PaymentConfirmed
        {
            InstructionId = instructionId,
            OrderId = orderId,
            LineId = lineId,
            Amount = amount,
            Currency = currency,
            PaymentReference = reference,
            PaidAt = world.Now,
        };
        var messageId = NewId.NextGuid();
        world.InBackground($"confirming payment {instructionId} of {orderId}", () => world.Reliably($"PaymentConfirmed of {orderId}",
            async c => await (await world.Bus.GetSendEndpoint(new Uri($"queue:{queue}"))).Send(confirmation, context => context.MessageId = messageId, c),
            world.Stopping));
        return Task.CompletedTask;
    }

    public async Task Deliver(PlannedOrder order, CancellationToken ct)
    {
        var now = world.Now;
        var confirmedAt = now - order.Age;
        var placed = new OrderPlaced
        {
            OrderId = order.OrderId,
            BuyerId = order.BuyerId,
            MerchantId = order.MerchantId,
            ShippingRegion = order.Region,
            PlacedAt = confirmedAt.AddDays(-4),
            Lines = [.. order.Lines.Select(Line)],
        };
        var paid = new OrderPaid { OrderId = order.OrderId, PaidAt = placed.PlacedAt.AddMinutes(5) };
        var shipped = new OrderShipped { OrderId = order.OrderId, ShippedAt = confirmedAt.AddDays(-3) };
        var delivered = new OrderDelivered { OrderId = order.OrderId, DeliveredAt = confirmedAt.AddDays(-1) };
        var confirmed = new OrderReceiptConfirmed { OrderId = order.OrderId, ConfirmedAt = confirmedAt };

        switch (order.Delivery)
        {
            case Delivery.InOrder:
                await Publish(order.OrderId, ct, placed, paid, shipped, delivered, confirmed);
                break;
            case Delivery.Reversed:
                await Publish(order.OrderId, ct, confirmed, delivered, shipped, paid, placed);
                break;
            case Delivery.Duplicated:
                foreach (var message in new object[] { placed, paid, shipped, delivered, confirmed })
                {
                    var messageId = NewId.NextGuid();
                    await Publish(order.OrderId, message, messageId, ct);
                    await Publish(order.OrderId, message, messageId, ct);
                }
                await Publish(order.OrderId, ct, placed, confirmed);
                break;
            case Delivery.NeverConfirmed:
                // Shipped now: the automatic confirmation falls due ten business days from here.
                await Publish(order.OrderId, ct, placed, paid, shipped with { ShippedAt = now }, delivered with { DeliveredAt = now });
                break;
            case Delivery.History:
                await Publish(order.OrderId, ct, placed, paid, confirmed);
                await world.Until($"order {order.OrderId} to complete on the buyer's old confirmation", async c =>
                {
                    var answer = await world.Apis.Order.Get($"/orders/{order.OrderId}", PlatformRoles.CustomerService, world.CustomerServiceAgent, c);
                    return answer.Status == HttpStatusCode.OK && answer.Body.Text("status") == "Completed";
                }, ct);
                await Publish(order.OrderId, ct, shipped, delivered);
                break;
        }
        world.Progress.OrderPublished();
    }

    private static OrderLine Line(PlannedLine line) => new()
    {
        LineId = line.LineId,
        Sku = line.Sku,
        Title = line.Title,
        Category = line.Category,
        Brand = line.Brand,
        UnitPrice = line.UnitPrice,
        Quantity = 1,
        ManufacturerWarrantyMonths = line.NationalWarrantyMonths,
        MerchantWarrantyMonths = 0,
        ExtendedWarranty = line.ExtendedWarranty,
    };

    private async Task Publish(string orderId, CancellationToken ct, params object[] messages)
    {
        foreach (var message in messages)
        {
            await Publish(orderId, message, NewId.NextGuid(), ct);
        }
    }

    private async Task Publish(string orderId, object message, Guid messageId, CancellationToken ct)
    {
        var type = message.GetType();
        await world.Reliably($"{type.Name} of {orderId}", c => world.Bus.Publish(message, type, context => context.MessageId = messageId, c), ct);
        saboteur?.MaybeRepeat(message, type, messageId, orderId);
    }
}
