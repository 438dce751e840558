using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults;
using Warranty.Domain;
using Platform.ServiceDefaults.OpenApi;
using System.ComponentModel.DataAnnotations;
using Warranty.Service.Views;

namespace Warranty.Service.Features.ResolveClaim;

public sealed record RepairCompletedRequest([property: Required, EnumNames(typeof(RepairOutcome))] string? Outcome);

/// <summary>
/// The merchant reports that it gave the remedy of a claim it answers. Repairs by a brand or the extended-warranty
/// programme are reported by their repair providers (RepairJobCompleted); these are the merchant's own.
/// </summary>
public static class MerchantResolutionEndpoints
{
    public static IEndpointRouteBuilder MapResolveClaim(this IEndpointRouteBuilder app)
    {
        app.MapPost("/claims/{id}/return-accepted", ReturnAccepted)
            .WithName("AcceptReturn")

            .AnswerKeptByUnitOfWork()
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The order's merchant took the item back, for a return or a replacement: the claim is resolved");
        app.MapPost("/claims/{id}/repair-completed", RepairCompleted)
            .WithName("CompleteMerchantRepair")

            .AnswerKeptByUnitOfWork()
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The order's merchant finished a repair it answers for: the claim is resolved");
        return app;
    }

    private static Task<IResult> ReturnAccepted(
        Guid id, HttpContext http, RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Merchant))
        {
            return Task.FromResult(Problems.Forbidden("Only the order's merchant may report a return taken back."));
        }
        return ClaimRequests.Run("accept-return", id, pipeline, files, policy, clock,
            file => caller.IsParty(PlatformRoles.Merchant, file.MerchantId),
            now => new WarrantyFileCommand.AcceptReturn(id, now),
            ct);
    }

    private static async Task<IResult> RepairCompleted(
        Guid id, RepairCompletedRequest? request, HttpContext http, RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Merchant))
        {
            return Problems.Forbidden("Only the order's merchant may report its own repair finished.");
        }
        var check = new Validation();
        var outcome = check.Name<RepairOutcome>("outcome", request?.Outcome);
        if (!check.IsValid)
        {
            return check.Problem();
        }
        return await ClaimRequests.Run("complete-merchant-repair", id, pipeline, files, policy, clock,
            file => caller.IsParty(PlatformRoles.Merchant, file.MerchantId),
            now => new WarrantyFileCommand.CompleteRepair(id, outcome, now),
            ct,
            claim => claim.Answerer is null or Answerer.Merchant
                ? null
                : Problems.Conflict("RepairedByProvider", $"Claim {id} is answered by the {claim.Answerer}; its repair provider reports the repair."));
    }
}
