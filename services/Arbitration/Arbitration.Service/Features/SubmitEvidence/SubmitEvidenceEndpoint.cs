using Arbitration.Domain;
using Arbitration.Service.Cases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Arbitration.Service.Views;
using System.ComponentModel.DataAnnotations;

namespace Arbitration.Service.Features.SubmitEvidence;

public sealed record EvidenceRequest([property: Required] string? Statement, IReadOnlyList<string>? Links);

public static class SubmitEvidenceEndpoint
{
    /// <summary>
    /// The case's buyer or its respondent adds a statement and links. The respondent's first
    /// evidence is its answer, and saves it from losing by default. The same evidence sent again
    /// changes nothing.
    /// </summary>
    public static IEndpointRouteBuilder MapSubmitEvidence(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cases/{caseId:guid}/evidence", (Guid caseId, EvidenceRequest? evidence, HttpContext http, RequestPipeline pipeline,
            CaseStream cases, ArbitrationPolicy policy, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!CaseAccess.MayEverSubmitEvidence(caller) || CaseAccess.ActorOf(caller) is not { } actor)
            {
                return Task.FromResult(Problems.Forbidden("Only the buyer and the respondent of a case may submit evidence to it."));
            }
            if (evidence is null)
            {
                return Task.FromResult(Problems.Invalid("body", "Evidence is required."));
            }
            if (Input.Evidence(evidence.Statement, evidence.Links) is { } invalid)
            {
                return Task.FromResult(invalid);
            }
            return CaseRequests.Run("submit-evidence", caseId, pipeline, cases, policy, clock,
                file => CaseAccess.MayRead(caller, file),
                now => new CaseCommand.SubmitEvidence(caseId, actor, evidence.Links ?? [], evidence.Statement!, now),
                ct);
        })
        .WithName("SubmitEvidence")

        .AnswerKeptByUnitOfWork()
        .Produces<CaseView>()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithSummary("Add a statement and evidence links to a case (its buyer, or its respondent: the merchant, or operators for repair operations)");
        return app;
    }
}
