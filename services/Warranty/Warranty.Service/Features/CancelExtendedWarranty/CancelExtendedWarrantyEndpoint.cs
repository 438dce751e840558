using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Warranty.Domain;
using Warranty.Service.Views;

namespace Warranty.Service.Features.CancelExtendedWarranty;

/// <summary>
/// The buyer cancels the extended warranty (延保) bought with a line, refunded by DOMAIN.md's rule: in full before
/// it starts, pro rata by the days remaining after, nothing once a repair was paid under it.
/// </summary>
public static class CancelExtendedWarrantyEndpoint
{
    public static IEndpointRouteBuilder MapCancelExtendedWarranty(this IEndpointRouteBuilder app)
    {
        app.MapPost("/warranties/{orderId}/{lineId}/extended-warranty/cancel", Handle)
            .WithName("CancelExtendedWarranty")
            .WithSummary("The order's buyer cancels the line's extended warranty; the answer carries the refund");
        return app;
    }

    private static async Task<IResult> Handle(
        string orderId, string lineId, HttpContext http, EventStore store, WarrantyPolicy policy, WarrantyMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Buyer))
        {
            return Api.Forbidden("Only the order's buyer may cancel its extended warranty.");
        }
        return await Api.Retrying(async () =>
        {
            await using var session = await store.OpenSession(null, ct);
            var file = await WarrantyFiles.Load(session, orderId, lineId, ct);
            if (file.Activated is not { } state || !caller.IsParty(PlatformRoles.Buyer, state.BuyerId))
            {
                return Api.NotFound($"No warranty for order {orderId} line {lineId} that you may act on.");
            }
            if (state.ExtendedWarranty is null)
            {
                return Api.Conflict("NoExtendedWarranty", $"No extended warranty was bought with order {orderId} line {lineId}.");
            }

            var events = WarrantyFileDecider.Decide(new WarrantyFileCommand.CancelExtendedWarranty(clock.GetUtcNow()), state, policy);
            var after = (WarrantyFile.Activated)await session.Record(file, events, ct);
            await session.Commit(ct);
            metrics.Count(events);
            // No events and no cancellation: the plan has run its course, and nothing is left to refund.
            return after.ExtendedWarranty!.Cancellation is null
                ? Api.Conflict("ExtendedWarrantyEnded", $"The extended warranty of order {orderId} line {lineId} has ended.")
                : Results.Ok(WarrantyView.From(after, clock.GetUtcNow()).ExtendedWarranty);
        });
    }
}
