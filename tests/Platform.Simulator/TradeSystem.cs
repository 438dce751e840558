using System.Net;
using MassTransit;
using Platform.Contracts.Trade.V1;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>Plays the marketplace's trade system: each order's events, stamped with the shared business clock.</summary>
/// <param name="saboteur">Under faults, sends some events twice under one MessageId.</param>
public sealed class TradeSystem(World world, Saboteur? saboteur = null)
{
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
