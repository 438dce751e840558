using Order.Domain;
using Platform.EventSourcing;
using Platform.ServiceDefaults;

namespace Order.Service.Features.GetOrder;

public static class GetOrderEndpoint
{
    private static readonly string[] ReadingRoles = [PlatformRoles.Buyer, PlatformRoles.Merchant, PlatformRoles.CustomerService, PlatformRoles.Operator];

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
        if (!ReadingRoles.Any(caller.Is))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden,
                detail: "Only the order's buyer, its merchant, customer service and operators may read orders.");
        }
        if (string.IsNullOrWhiteSpace(id))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["The order id must not be blank."] });
        }

        var state = await OrderStream.Read(store, id, ct);
        // Events parked for an order not yet placed show nothing: there is no order to see.
        return state.Placement is { } placement && MayRead(caller, placement)
            ? Results.Ok(OrderView.From(placement, state))
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No order {id} that you may see.");
    }

    private static bool MayRead(Caller caller, OrderPlacement placement) =>
        caller.IsParty(PlatformRoles.Buyer, placement.BuyerId)
        || caller.IsParty(PlatformRoles.Merchant, placement.MerchantId)
        || caller.Is(PlatformRoles.CustomerService)
        || caller.Is(PlatformRoles.Operator);
}
