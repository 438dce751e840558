using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults;
using Warranty.Domain;
using System.ComponentModel.DataAnnotations;
using Warranty.Service.Views;

namespace Warranty.Service.Features.EscalateClaim;

public sealed record EscalateClaimRequest([property: Required] string? Statement, IReadOnlyList<string?>? EvidenceLinks);

/// <summary>The buyer takes a claim the merchant refused to arbitration; ClaimEscalated opens the case.</summary>
public static class EscalateClaimEndpoint
{
    public static IEndpointRouteBuilder MapEscalateClaim(this IEndpointRouteBuilder app)
    {
        app.MapPost("/claims/{id}/escalate", Handle)
            .WithName("EscalateClaim")

            .AnswerKeptByUnitOfWork()
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The order's buyer escalates a claim the merchant refused to arbitration, with a statement and evidence");
        return app;
    }

    private static async Task<IResult> Handle(
        Guid id, EscalateClaimRequest? request, HttpContext http, RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Buyer))
        {
            return Problems.Forbidden("Only the order's buyer may escalate a claim.");
        }
        var check = new Validation();
        var statement = check.Text("statement", request?.Statement);
        var evidence = check.Links("evidenceLinks", request?.EvidenceLinks);
        if (!check.IsValid)
        {
            return check.Problem();
        }
        return await ClaimRequests.Run("escalate-claim", id, pipeline, files, policy, clock,
            file => caller.IsParty(PlatformRoles.Buyer, file.BuyerId),
            now => new WarrantyFileCommand.EscalateClaim(id, statement, evidence, now),
            ct);
    }
}
