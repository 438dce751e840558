using Arbitration.Service.Cases;
using Arbitration.Service.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service.Features.ReadCase;

public static class GetCaseEndpoint
{
    public static IEndpointRouteBuilder MapGetCase(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cases/{caseId:guid}", async (Guid caseId, HttpContext http, EventStore store, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!CaseAccess.MayEverRead(caller))
            {
                return Problems.Forbidden("Repair providers take no part in arbitration cases.");
            }
            var state = await CaseStream.Read(store, caseId, ct);
            return state.File is { } file && CaseAccess.MayRead(caller, file)
                ? Results.Ok(CaseView.From(state))
                : CaseRequests.NotFound(caseId);
        })
        .WithName("GetCase")
        .Produces<CaseView>()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("A case with its evidence and ruling (its buyer, its respondent, arbitrators, customer service)");
        return app;
    }
}
