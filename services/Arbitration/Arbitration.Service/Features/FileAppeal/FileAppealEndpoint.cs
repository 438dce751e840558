using Arbitration.Domain;
using Arbitration.Service.Cases;
using Arbitration.Service.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.Contracts.Arbitration.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.OpenApi;
using System.ComponentModel.DataAnnotations;

namespace Arbitration.Service.Features.FileAppeal;

/// <param name="Subject">ClaimRejected or ReopenDenied.</param>
/// <param name="ClaimId">The rejected claim, for ClaimRejected.</param>
/// <param name="ReopenRequestId">The denied reopen request, for ReopenDenied.</param>
public sealed record AppealRequest(
    [property: Required, EnumNames(typeof(AppealSubject))] string? Subject,
    Guid? ClaimId,
    Guid? ReopenRequestId,
    [property: Required] string? Statement,
    IReadOnlyList<string>? Links);

public static class FileAppealEndpoint
{
    /// <summary>
    /// A buyer, or customer service for one, appeals a claim rejection or a reopen denial this service
    /// has seen and the Warranty service said an appeal may help. Retrying the same appeal answers
    /// with the case it opened.
    /// </summary>
    public static IEndpointRouteBuilder MapFileAppeal(this IEndpointRouteBuilder app)
    {
        app.MapPost("/appeals", (AppealRequest? appeal, HttpContext http, RequestPipeline pipeline, CaseOpening opening, ArbitrationPolicy policy, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!caller.Is(PlatformRoles.Buyer) && !caller.Is(PlatformRoles.CustomerService))
            {
                return Task.FromResult(Problems.Forbidden("Only a buyer, or customer service on a buyer's behalf, may appeal."));
            }
            if (Validate(appeal) is { } invalid)
            {
                return Task.FromResult(invalid);
            }
            var decisionId = (appeal!.ClaimId ?? appeal.ReopenRequestId)!.Value;
            return pipeline.Run("file-appeal", (work, ct) => File(work, appeal, caller, opening, policy, clock, ct), ct, decisionId);
        })
        .WithName("FileAppeal")

        .AnswerKeptByUnitOfWork()
        .Produces<CaseView>(StatusCodes.Status201Created)
        .Produces<CaseView>()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithSummary("Appeal a rejected claim or a denied reopen request to arbitration (buyer, or customer service for the buyer)");
        return app;
    }

    private static IResult? Validate(AppealRequest? appeal)
    {
        if (appeal is null)
        {
            return Problems.Invalid("body", "An appeal is required.");
        }
        if (!Input.TryParseName<AppealSubject>(appeal.Subject, out var subject))
        {
            return Problems.Invalid("subject", $"subject must be one of {Input.Names<AppealSubject>()}.");
        }
        var (idField, id, otherField, other) = subject == AppealSubject.ClaimRejected
            ? ("claimId", appeal.ClaimId, "reopenRequestId", appeal.ReopenRequestId)
            : ("reopenRequestId", appeal.ReopenRequestId, "claimId", appeal.ClaimId);
        if (id is null || id == Guid.Empty)
        {
            return Problems.Invalid(idField, $"{idField} is required to appeal {subject}.");
        }
        if (other is not null)
        {
            return Problems.Invalid(otherField, $"{otherField} does not apply to {subject}.");
        }
        return Input.Evidence(appeal.Statement, appeal.Links);
    }

    private static async Task<IResult> File(
        UnitOfWork work, AppealRequest appeal, Caller caller, CaseOpening opening, ArbitrationPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var subject = Enum.Parse<AppealSubject>(appeal.Subject!);
        var decisionId = (appeal.ClaimId ?? appeal.ReopenRequestId)!.Value;
        var decision = await AppealableDecisions.Find(work.Session, subject, decisionId, ct);
        if (decision is null || (caller.Is(PlatformRoles.Buyer) && decision.BuyerId != caller.SubjectId))
        {
            // Not yet seen, never made, or another buyer's: one answer, so nothing of it leaks.
            return Problems.NotFound($"No {subject} decision {decisionId} that you may appeal.");
        }
        if (!decision.AppealMayHelp)
        {
            return Problems.Conflict("AppealNotAllowed",
                $"The {subject} decision {decisionId} ({decision.Reason}) cannot be changed by arbitration.");
        }

        var (caseId, origin) = subject == AppealSubject.ClaimRejected
            ? (CaseIds.ForClaim(decisionId), (Arbitration.Domain.CaseOrigin)new Arbitration.Domain.CaseOrigin.ClaimRejected(
                decisionId, decision.MerchantId, Enum.Parse<ClaimRemedy>(decision.RemedyAsked!), decision.Reason))
            : (CaseIds.ForReopenRequest(decisionId), new Arbitration.Domain.CaseOrigin.ReopenDenied(decisionId, decision.MerchantId, decision.Reason));
        var now = clock.GetUtcNow();
        var open = new CaseCommand.OpenCase(caseId, decision.OrderId, decision.LineId, decision.BuyerId, origin,
            new DisputedItem(decision.ShippingRegion, decision.Sku, decision.Title, decision.Category, decision.Brand, decision.FaultDescription), now);
        var statement = new BuyerStatement(appeal.Statement!, appeal.Links ?? []);

        switch (await opening.Open(work, open, statement, ct))
        {
            case OpeningOutcome.Opened { State: var state }:
                return Results.Created($"/cases/{caseId}", CaseView.From(state));
            case OpeningOutcome.AlreadyOpen { State: var state }:
                // The same appeal again is a retry and gets the case it opened; a different one
                // belongs in that case as evidence, not in a second appeal.
                var again = CaseDecider.Decide(
                    new CaseCommand.SubmitEvidence(caseId, new Actor(ActorRole.Buyer, decision.BuyerId), statement.Links, appeal.Statement!, now),
                    state, policy);
                return again is Decision<CaseEvent>.Accepted { Events.Count: 0 }
                    ? Results.Ok(CaseView.From(state))
                    : CaseRequests.AlreadyAppealed(caseId);
            case OpeningOutcome.Refused { Refusal: var refusal }:
                return CaseRequests.Refused(caseId, refusal);
            default:
                throw new InvalidOperationException("Unknown opening outcome.");
        }
    }
}
