using Arbitration.Domain;
using Arbitration.Service.Cases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.Contracts.Arbitration.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Arbitration.Service.Views;
using Platform.ServiceDefaults.OpenApi;
using System.ComponentModel.DataAnnotations;

namespace Arbitration.Service.Features.IssueRuling;

/// <param name="InFavourOf">Buyer or Respondent.</param>
/// <param name="Remedy">For the buyer: Refund, Replacement, RepairAtPlatformCost, ReopenEntry or Compensation.</param>
/// <param name="Amount">Yuan, for Compensation only.</param>
public sealed record RulingRequest(
    [property: Required, EnumNames(typeof(CaseParty))] string? InFavourOf,
    [property: EnumNames(typeof(RulingRemedy))] string? Remedy,
    decimal? Amount,
    [property: Required] string? Rationale);

public static class IssueRulingEndpoint
{
    // Yuan have fen, and nothing smaller is paid.
    private const int AmountScale = 2;

    /// <summary>
    /// An arbitrator rules; the ruling is final. The same ruling sent again answers as the first
    /// did; a different one is refused.
    /// </summary>
    public static IEndpointRouteBuilder MapIssueRuling(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cases/{caseId:guid}/ruling", (Guid caseId, RulingRequest? ruling, HttpContext http, RequestPipeline pipeline,
            CaseStream cases, ArbitrationPolicy policy, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!caller.Is(PlatformRoles.Arbitrator))
            {
                return Task.FromResult(Problems.Forbidden("Only an arbitrator may rule on a case."));
            }
            if (Validate(ruling, out var verdict) is { } invalid)
            {
                return Task.FromResult(invalid);
            }
            // Every arbitrator sees every case; the decider says which of them may rule on this one.
            return CaseRequests.Run("issue-ruling", caseId, pipeline, cases, policy, clock,
                _ => true,
                now => new CaseCommand.IssueRuling(caseId, CaseAccess.ActorOf(caller)!, verdict!, ruling!.Rationale!, now),
                ct);
        })
        .WithName("IssueRuling")

        .AnswerKeptByUnitOfWork()
        .Produces<CaseView>()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithSummary("Rule on a case, for the buyer with a remedy or for the respondent, with a rationale (arbitrators); final");
        return app;
    }

    private static IResult? Validate(RulingRequest? ruling, out Verdict? verdict)
    {
        verdict = null;
        if (ruling is null)
        {
            return Problems.Invalid("body", "A ruling is required.");
        }
        if (!Input.TryParseName<CaseParty>(ruling.InFavourOf, out var side))
        {
            return Problems.Invalid("inFavourOf", $"inFavourOf must be one of {Input.Names<CaseParty>()}.");
        }
        if (Input.Text(ruling.Rationale, "rationale") is { } invalidRationale)
        {
            return invalidRationale;
        }
        if (side == CaseParty.Respondent)
        {
            if (ruling.Remedy is not null || ruling.Amount is not null)
            {
                return Problems.Invalid(ruling.Remedy is not null ? "remedy" : "amount", "A ruling for the respondent orders no remedy.");
            }
            verdict = new Verdict.ForRespondent();
            return null;
        }
        if (!Input.TryParseName<RulingRemedy>(ruling.Remedy, out var remedy))
        {
            return Problems.Invalid("remedy", $"A ruling for the buyer needs a remedy, one of {Input.Names<RulingRemedy>()}.");
        }
        if (remedy != RulingRemedy.Compensation)
        {
            if (ruling.Amount is not null)
            {
                return Problems.Invalid("amount", "An amount applies to Compensation only.");
            }
            verdict = new Verdict.ForBuyer(remedy switch
            {
                RulingRemedy.Refund => new Remedy.Refund(),
                RulingRemedy.Replacement => new Remedy.Replacement(),
                RulingRemedy.RepairAtPlatformCost => new Remedy.RepairAtPlatformCost(),
                RulingRemedy.ReopenEntry => new Remedy.ReopenEntry(),
                _ => throw new ArgumentOutOfRangeException(nameof(ruling), remedy, "Unknown remedy"),
            });
            return null;
        }
        if (ruling.Amount is not { } amount || amount <= 0)
        {
            return Problems.Invalid("amount", "Compensation needs an amount in yuan above zero.");
        }
        if (decimal.Round(amount, AmountScale) != amount)
        {
            return Problems.Invalid("amount", $"An amount has at most {AmountScale} decimal places (fen).");
        }
        verdict = new Verdict.ForBuyer(new Remedy.Compensation(amount));
        return null;
    }
}
