using Platform.ServiceDefaults.Http;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Warranty.Domain;
using Warranty.Service.Views;

namespace Warranty.Service.Features.GetWarranty;

public static class GetWarrantyEndpoint
{
    public static IEndpointRouteBuilder MapGetWarranty(this IEndpointRouteBuilder app)
    {
        app.MapGet("/warranties/{orderId}/{lineId}", Handle)
            .WithName("GetWarranty")
            .Produces<WarrantyView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A line's warranty file: each coverage with its local first and last moment, the after-sales entry, the plan and the claims");
        return app;
    }

    private static async Task<IResult> Handle(string orderId, string lineId, HttpContext http, EventStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!Access.MayEverRead(caller))
        {
            return Problems.Forbidden(Access.ReadersText);
        }
        var file = await WarrantyFileStream.ReadState(store, orderId, lineId, ct);
        return file is WarrantyFile.Activated state && Access.MayRead(caller, state)
            ? Results.Ok(WarrantyView.From(state, clock.GetUtcNow()))
            : Problems.NotFound($"No warranty for order {orderId} line {lineId} that you may see.");
    }
}
