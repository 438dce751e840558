using Platform.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults;
using Warranty.Domain;
using Warranty.Service.Views;
using static Warranty.Service.ContractVocabulary;
using Contract = Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults.OpenApi;
using System.ComponentModel.DataAnnotations;

namespace Warranty.Service.Features.FileClaim;

/// <param name="BuyerId">The buyer served, when customer service files; a buyer files for themselves and may leave it out.</param>
/// <param name="BuyerPhone">Where the buyer wants to be called about the claim; optional. A repair provider reaches it only through a virtual number.</param>
/// <param name="ServiceAddress">Where a repair visit or collection takes place; optional.</param>
public sealed record FileClaimRequest(
    [property: Required] string? OrderId,
    [property: Required] string? LineId,
    string? BuyerId,
    [property: Required, EnumNames(typeof(Contract.FaultKind))] string? Fault,
    [property: Required] string? FaultDescription,
    [property: Required, EnumNames(typeof(Contract.Remedy))] string? RemedyAsked,
    IReadOnlyList<string?>? EvidenceLinks,
    string? BuyerPhone = null,
    string? ServiceAddress = null);

public static class FileClaimEndpoint
{
    public static IEndpointRouteBuilder MapFileClaim(this IEndpointRouteBuilder app)
    {
        app.MapPost("/claims", Handle)
            .WithName("FileClaim")

            .AnswerKeptByUnitOfWork()
            .IdempotencyKeyIsId()
            .Produces<ClaimView>(StatusCodes.Status201Created)
            .Produces<ClaimView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("File a claim on an order line (the buyer, or customer service for the buyer); Idempotency-Key is the claim id");
        return app;
    }

    private static async Task<IResult> Handle(
        FileClaimRequest? request, HttpContext http, RequestPipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Buyer) && !caller.Is(PlatformRoles.CustomerService))
        {
            return Problems.Forbidden("Only a buyer, or customer service on a buyer's behalf, may file a claim.");
        }
        if (Api.IdempotencyKeyAsId(http, out var claimId) is { } badKey)
        {
            return badKey;
        }
        if (request is null)
        {
            return Problems.Invalid("body", "A claim needs orderId, lineId, fault, faultDescription and remedyAsked.");
        }

        var check = new Validation();
        var orderId = check.Text("orderId", request.OrderId, 200);
        var lineId = check.Text("lineId", request.LineId, 200);
        var fault = check.Name<Contract.FaultKind>("fault", request.Fault);
        var description = check.Text("faultDescription", request.FaultDescription);
        var remedy = check.Name<Contract.Remedy>("remedyAsked", request.RemedyAsked);
        var evidence = check.Links("evidenceLinks", request.EvidenceLinks);
        var requester = Requester(caller, request.BuyerId, check);
        var contact = check.Contact(request.BuyerPhone, request.ServiceAddress);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var decided = 0;
        return await pipeline.Run("file-claim", async (work, ct) =>
        {
            // An id that names a claim on another line fails the commit on the claim index's key (ClaimIndex.Add), so
            // it is looked up only when the filing is decided again: a round trip fewer for every claim that is new.
            if (decided++ > 0 && await ClaimIndex.Find(work.Session, claimId, ct) is { } existing && existing != new ClaimLocation(orderId, lineId))
            {
                return Problems.Conflict(ContractVocabulary.ClaimIdInUse, $"Claim {claimId} was filed on another order line; use a new Idempotency-Key for a new claim.");
            }
            IResult? notFound = null;
            var command = new WarrantyFileCommand.FileClaim(claimId, requester, ToDomain(fault), description, ToDomain(remedy), evidence, clock.GetUtcNow(),
                Contact: contact);
            var streamId = WarrantyFileStream.StreamId(orderId, lineId);
            var handled = await work.Handle(files.Filing, streamId, file =>
            {
                // A buyer's claim on an order that is not theirs is answered as if the order did not exist.
                if (file.Activated is not { } state || (caller.Is(PlatformRoles.Buyer) && state.BuyerId != caller.SubjectId))
                {
                    notFound = Problems.NotFound($"No warranty for order {orderId} line {lineId} that you may claim on.");
                    return Decide<WarrantyFileEvent>.Nothing;
                }
                return WarrantyFileDecider.Decide(command, state, policy);
            }, ct);
            if (notFound is not null)
            {
                return notFound;
            }
            if (handled.Refusal is { } refusal)
            {
                return Problems.Refused(refusal);
            }
            if (handled.Decision.Events.Count > 0)
            {
                return Results.Created($"/claims/{claimId}", ClaimView.From(handled.After.State, handled.After.Events, claimId));
            }
            // No events: the key names a claim already filed on this line, which is answered as it stands, history and all.
            var file = await files.Aggregate.LoadFrom(work.Session, streamId, ct);
            return Results.Ok(ClaimView.From(file.State.State, file.State.Events, claimId));
        }, ct, claimId);
    }

    private static Requester Requester(Caller caller, string? buyerId, Validation check)
    {
        if (caller.Is(PlatformRoles.Buyer))
        {
            if (buyerId is not null && buyerId != caller.SubjectId)
            {
                check.Fail("buyerId", "A buyer files claims for themselves: leave buyerId out or give your own id.");
            }
            return new Requester(caller.SubjectId, ActingParty.Buyer, caller.SubjectId);
        }
        return new Requester(check.Text("buyerId", buyerId, 200), ActingParty.CustomerService, caller.SubjectId);
    }
}
