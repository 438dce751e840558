using Platform.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults;
using Warranty.Domain;
using Warranty.Service.Views;
using static Warranty.Domain.WarrantyFileEvent;
using static Warranty.Service.ContractVocabulary;
using Contract = Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults.OpenApi;
using System.ComponentModel.DataAnnotations;

namespace Warranty.Service.Features.ReopenEntry;

/// <param name="BuyerId">The buyer served, when customer service asks; a buyer asks for themselves and may leave it out.</param>
public sealed record ReopenEntryRequest(
    string? BuyerId,
    [property: Required, EnumNames(typeof(Contract.FaultKind))] string? Fault,
    [property: Required] string? FaultDescription);

/// <summary>The answer to a reopen request, as the EntryReopened or ReopenDenied message gives it.</summary>
public sealed record ReopenAnswer(
    Guid RequestId,
    string Outcome,
    DateTimeOffset At,
    Contract.ReopenGround? Ground = null,
    PeriodView? Window = null,
    Contract.ReopenDenialReason? Reason = null,
    bool? AppealMayHelp = null)
{
    public const string Reopened = "Reopened";
    public const string Denied = "Denied";
}

/// <summary>A buyer, or customer service for the buyer, asks to reopen a closed after-sales entry (售后入口).</summary>
public static class ReopenEntryEndpoint
{
    public static IEndpointRouteBuilder MapReopenEntry(this IEndpointRouteBuilder app)
    {
        app.MapPost("/warranties/{orderId}/{lineId}/reopen", Handle)
            .WithName("ReopenEntry")

            .AnswerKeptByUnitOfWork()
            .IdempotencyKeyIsId()
            .Produces<ReopenAnswer>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Ask to reopen the line's closed after-sales entry (the buyer, or customer service for the buyer); Idempotency-Key is the request id");
        return app;
    }

    private static async Task<IResult> Handle(
        string orderId, string lineId, ReopenEntryRequest? request, HttpContext http,
        RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Buyer) && !caller.Is(PlatformRoles.CustomerService))
        {
            return Problems.Forbidden("Only a buyer, or customer service on a buyer's behalf, may ask to reopen the after-sales entry.");
        }
        if (Api.IdempotencyKeyAsId(http, out var requestId) is { } badKey)
        {
            return badKey;
        }
        var check = new Validation();
        var fault = check.Name<Contract.FaultKind>("fault", request?.Fault);
        var description = check.Text("faultDescription", request?.FaultDescription);
        Requester requester;
        if (caller.Is(PlatformRoles.Buyer))
        {
            if (request?.BuyerId is { } named && named != caller.SubjectId)
            {
                check.Fail("buyerId", "A buyer asks for themselves: leave buyerId out or give your own id.");
            }
            requester = new Requester(caller.SubjectId, ActingParty.Buyer, caller.SubjectId);
        }
        else
        {
            requester = new Requester(check.Text("buyerId", request?.BuyerId, 200), ActingParty.CustomerService, caller.SubjectId);
        }
        if (!check.IsValid)
        {
            return check.Problem();
        }

        return await pipeline.Run("reopen-entry", async (work, ct) =>
        {
            IResult? answer = null;
            var command = new WarrantyFileCommand.RequestReopen(new ReopenRequest(requestId, requester, ToDomain(fault), description), clock.GetUtcNow());
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(orderId, lineId), file =>
            {
                if (file.Activated is not { } state || (caller.Is(PlatformRoles.Buyer) && state.BuyerId != caller.SubjectId))
                {
                    answer = Problems.NotFound($"No warranty for order {orderId} line {lineId} that you may act on.");
                    return Decide<WarrantyFileEvent>.Nothing;
                }
                if (file.Events.Select(e => Answer(e, state)).FirstOrDefault(a => a?.RequestId == requestId) is { } earlier)
                {
                    answer = Results.Ok(earlier);
                    return Decide<WarrantyFileEvent>.Nothing;
                }
                return WarrantyFileDecider.Decide(command, state, policy);
            }, ct);
            if (answer is not null)
            {
                return answer;
            }
            if (handled.Refusal is { } refusal)
            {
                return Problems.Refused(refusal);
            }
            return handled.Decision.Events.Count == 0
                ? Problems.Conflict("EntryStillOpen", $"The after-sales entry of order {orderId} line {lineId} is open; file a claim instead.")
                : Results.Ok(Answer(handled.Decision.Events[0], (WarrantyFile.Activated)handled.Stream.State.State));
        }, ct, requestId);
    }

    private static ReopenAnswer? Answer(WarrantyFileEvent @event, WarrantyFile.Activated file) => @event switch
    {
        EntryReopened { Request: { } request } reopened => new ReopenAnswer(
            request.RequestId, ReopenAnswer.Reopened, reopened.At,
            Ground: ToContract(reopened.Ground), Window: PeriodView.From(reopened.Window, file.Calendar)),
        ReopenDenied denied => new ReopenAnswer(
            denied.Request.RequestId, ReopenAnswer.Denied, denied.At,
            Reason: ToContract(denied.Reason), AppealMayHelp: denied.AppealPossible),
        _ => null,
    };
}
