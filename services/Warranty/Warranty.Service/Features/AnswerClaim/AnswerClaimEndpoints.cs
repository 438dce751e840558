using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults;
using Warranty.Domain;
using System.ComponentModel.DataAnnotations;
using Warranty.Service.Views;

namespace Warranty.Service.Features.AnswerClaim;

public sealed record RefuseClaimRequest([property: Required] string? Reason, IReadOnlyList<string?>? EvidenceLinks);

/// <summary>The merchant's answer to a claim waiting for it: accept, or refuse with a reason the buyer may escalate.</summary>
public static class AnswerClaimEndpoints
{
    public static IEndpointRouteBuilder MapAnswerClaim(this IEndpointRouteBuilder app)
    {
        app.MapPost("/claims/{id}/accept", Accept)
            .WithName("AcceptClaim")

            .AnswerKeptByUnitOfWork()
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The order's merchant accepts a claim that waits for it");
        app.MapPost("/claims/{id}/refuse", Refuse)
            .WithName("RefuseClaim")

            .AnswerKeptByUnitOfWork()
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The order's merchant refuses a claim that waits for it, with its reason and evidence");
        return app;
    }

    private static Task<IResult> Accept(
        Guid id, HttpContext http, RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Merchant))
        {
            return Task.FromResult(Problems.Forbidden("Only the order's merchant may accept a claim."));
        }
        return ClaimRequests.Run("accept-claim", id, pipeline, files, policy, clock,
            file => caller.IsParty(PlatformRoles.Merchant, file.MerchantId),
            now => new WarrantyFileCommand.AcceptClaim(id, now),
            ct);
    }

    private static async Task<IResult> Refuse(
        Guid id, RefuseClaimRequest? request, HttpContext http, RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Merchant))
        {
            return Problems.Forbidden("Only the order's merchant may refuse a claim.");
        }
        var check = new Validation();
        var reason = check.Text("reason", request?.Reason);
        var evidence = check.Links("evidenceLinks", request?.EvidenceLinks);
        if (!check.IsValid)
        {
            return check.Problem();
        }
        return await ClaimRequests.Run("refuse-claim", id, pipeline, files, policy, clock,
            file => caller.IsParty(PlatformRoles.Merchant, file.MerchantId),
            now => new WarrantyFileCommand.RefuseClaim(id, reason, evidence, now),
            ct);
    }
}
