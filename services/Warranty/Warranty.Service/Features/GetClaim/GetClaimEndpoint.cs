using Platform.ServiceDefaults.Http;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Warranty.Service.Views;

namespace Warranty.Service.Features.GetClaim;

public static class GetClaimEndpoint
{
    public static IEndpointRouteBuilder MapGetClaim(this IEndpointRouteBuilder app)
    {
        app.MapGet("/claims/{id}", Handle)
            .WithName("GetClaim")
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A claim: what was asked, the decision, and its history to date");
        return app;
    }

    private static async Task<IResult> Handle(Guid id, HttpContext http, EventStore store, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!Access.MayEverRead(caller))
        {
            return Problems.Forbidden(Access.ReadersText);
        }
        var location = await ClaimIndex.Find(store, id, ct);
        var file = location is null ? null : await WarrantyFileStream.Read(store, location.OrderId, location.LineId, ct);
        return file?.Activated is { } state && Access.MayRead(caller, state) && ClaimView.From(state, file.Events, id) is { } view
            ? Results.Ok(view)
            : Problems.NotFound($"No claim {id} that you may see.");
    }
}
