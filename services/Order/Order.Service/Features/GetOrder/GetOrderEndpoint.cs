using Order.Domain;
using Order.Service.Views;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Order.Service.Features.GetOrder;

public static class GetOrderEndpoint
{
    public static IEndpointRouteBuilder MapGetOrder(this IEndpointRouteBuilder app)
    {
        app.MapGet("/orders/{id}", Get)
            .WithName("GetOrder")
            .WithTags("Orders")
            .WithSummary("An order's status, lines and timeline")
            .WithDescription("For the order's buyer, its merchant, customer service and operators. Another party's order answers 404, as an absent one does.")
            .Produces<OrderView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> Get(string id, HttpContext http, EventStore store, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!OrderAccess.MayEverRead(caller))
        {
            return Problems.Forbidden(OrderAccess.ReadersText);
        }
        if (string.IsNullOrWhiteSpace(id))
        {
            return Problems.Invalid("id", "The order id must not be blank.");
        }

        var state = await OrderStream.Read(store, id, ct);
        // Events parked for an order not yet placed show nothing: there is no order to see.
        return state.Placement is { } placement && OrderAccess.MayRead(caller, placement)
            ? Results.Ok(OrderView.From(placement, state))
            : Problems.NotFound($"No order {id} that you may see.");
    }
}
