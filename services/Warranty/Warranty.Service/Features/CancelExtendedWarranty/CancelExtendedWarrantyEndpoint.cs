using Platform.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults;
using Warranty.Domain;
using Warranty.Service.Views;

namespace Warranty.Service.Features.CancelExtendedWarranty;

/// <summary>
/// The buyer cancels the extended warranty (延保) bought with a line, refunded by docs/domain.md's rule: in full before
/// it starts, pro rata by the days remaining after, nothing once a repair was paid under it.
/// </summary>
public static class CancelExtendedWarrantyEndpoint
{
    public static IEndpointRouteBuilder MapCancelExtendedWarranty(this IEndpointRouteBuilder app)
    {
        app.MapPost("/warranties/{orderId}/{lineId}/extended-warranty/cancel", Handle)
            .WithName("CancelExtendedWarranty")

            .AnswerKeptByUnitOfWork()
            .Produces<ExtendedWarrantyView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The order's buyer cancels the line's extended warranty; the answer carries the refund");
        return app;
    }

    private static async Task<IResult> Handle(
        string orderId, string lineId, HttpContext http, RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Buyer))
        {
            return Problems.Forbidden("Only the order's buyer may cancel its extended warranty.");
        }
        return await pipeline.Run("cancel-extended-warranty", async (work, ct) =>
        {
            IResult? answer = null;
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(orderId, lineId), file =>
            {
                if (file.Activated is not { } state || !caller.IsParty(PlatformRoles.Buyer, state.BuyerId))
                {
                    answer = Problems.NotFound($"No warranty for order {orderId} line {lineId} that you may act on.");
                    return Decide<WarrantyFileEvent>.Nothing;
                }
                if (state.ExtendedWarranty is null)
                {
                    answer = Problems.Conflict("NoExtendedWarranty", $"No extended warranty was bought with order {orderId} line {lineId}.");
                    return Decide<WarrantyFileEvent>.Nothing;
                }
                return WarrantyFileDecider.Decide(new WarrantyFileCommand.CancelExtendedWarranty(clock.GetUtcNow()), state, policy);
            }, ct);
            if (answer is not null)
            {
                return answer;
            }
            var after = (WarrantyFile.Activated)handled.After.State;
            // No events and no cancellation: the plan has run its course, and nothing is left to refund.
            return after.ExtendedWarranty!.Cancellation is null
                ? Problems.Conflict("ExtendedWarrantyEnded", $"The extended warranty of order {orderId} line {lineId} has ended.")
                : Results.Ok(WarrantyView.From(after, clock.GetUtcNow()).ExtendedWarranty);
        }, ct);
    }
}
