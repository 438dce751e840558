using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Warranty.Domain;
using Warranty.Service.ReadModels;
using Warranty.Service.Views;
using static Warranty.Service.ContractVocabulary;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Features.FileClaim;

/// <param name="BuyerId">The buyer served, when customer service files; a buyer files for themselves and may leave it out.</param>
public sealed record FileClaimRequest(
    string? OrderId,
    string? LineId,
    string? BuyerId,
    string? Fault,
    string? FaultDescription,
    string? RemedyAsked,
    IReadOnlyList<string?>? EvidenceLinks);

public static class FileClaimEndpoint
{
    public static IEndpointRouteBuilder MapFileClaim(this IEndpointRouteBuilder app)
    {
        app.MapPost("/claims", Handle)
            .WithName("FileClaim")
            .WithSummary("File a claim on an order line (the buyer, or customer service for the buyer); Idempotency-Key is the claim id");
        return app;
    }

    private static async Task<IResult> Handle(
        FileClaimRequest? request, HttpContext http, EventStore store, WarrantyPolicy policy, WarrantyMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Buyer) && !caller.Is(PlatformRoles.CustomerService))
        {
            return Api.Forbidden("Only a buyer, or customer service on a buyer's behalf, may file a claim.");
        }
        if (Api.ReadIdempotencyKey(http, out var claimId) is { } badKey)
        {
            return badKey;
        }
        if (request is null)
        {
            return Api.Invalid("body", "A claim needs orderId, lineId, fault, faultDescription and remedyAsked.");
        }

        var check = new Validation();
        var orderId = check.Text("orderId", request.OrderId, 200);
        var lineId = check.Text("lineId", request.LineId, 200);
        var fault = check.Name<Contract.FaultKind>("fault", request.Fault);
        var description = check.Text("faultDescription", request.FaultDescription);
        var remedy = check.Name<Contract.Remedy>("remedyAsked", request.RemedyAsked);
        var evidence = check.Links("evidenceLinks", request.EvidenceLinks);
        var requester = Requester(caller, request.BuyerId, check);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        return await Api.Retrying(async () =>
        {
            await using var session = await store.OpenSession(claimId, ct);
            if (await ClaimIndex.Find(session, claimId, ct) is { } existing && existing != new ClaimLocation(orderId, lineId))
            {
                return Api.Conflict("IdempotencyKeyReused", $"Claim {claimId} was filed on another order line; use a new Idempotency-Key for a new claim.");
            }
            var file = await WarrantyFiles.Load(session, orderId, lineId, ct);
            // A buyer's claim on an order that is not theirs is answered as if the order did not exist.
            if (file.Activated is not { } state || (caller.Is(PlatformRoles.Buyer) && state.BuyerId != caller.SubjectId))
            {
                return Api.NotFound($"No warranty for order {orderId} line {lineId} that you may claim on.");
            }

            var command = new WarrantyFileCommand.FileClaim(claimId, requester, ToDomain(fault), description, ToDomain(remedy), evidence, clock.GetUtcNow());
            IReadOnlyList<WarrantyFileEvent> events;
            try
            {
                events = WarrantyFileDecider.Decide(command, state, policy);
            }
            catch (WarrantyRuleViolation violation)
            {
                return Api.Refused(violation);
            }
            var after = await session.Record(file, events, ct);
            await session.Commit(ct);
            metrics.Count(events);

            // No events: the key names a claim already filed on this line, which is answered as it stands.
            var view = ClaimView.From(after, file.Events.Concat(events), claimId);
            return events.Count > 0 ? Results.Created($"/claims/{claimId}", view) : Results.Ok(view);
        });
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
