using Arbitration.Domain;
using Arbitration.Service.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Contract = Platform.Contracts.Arbitration.V1;

namespace Arbitration.Service.Features.ListCases;

/// <summary>
/// The cases worklist. Arbitrators and customer service list every case; a respondent only the cases it answers (a
/// merchant its own, operators those of the platform's repair operations) and a buyer only those it brought. The
/// scope comes from the token: a merchant or buyer naming another party in a filter gets 403, never that party's cases.
/// </summary>
public static class ListCasesEndpoint
{
    public static IEndpointRouteBuilder MapListCases(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cases", Handle)
            .WithName("ListCases")
            .Produces<Page<CaseListItem>>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Worklist: cases by status, respondent, arbitrator, order or claim, oldest first (as respondents' deadlines fall)");
        return app;
    }

    private static async Task<IResult> Handle(
        string? status, string? arbitrator, string? respondentKind, string? merchantId, string? buyerId, string? orderId, Guid? claimId,
        string? cursor, int? limit, HttpContext http, NpgsqlDataSource dataSource, WorklistPaging paging, ArbitrationSettings settings, CancellationToken ct)
    {
        var caller = http.GetCaller();
        CaseAudience audience;
        switch (caller.Role)
        {
            case PlatformRoles.Merchant when merchantId is not null && merchantId != caller.SubjectId:
                return Problems.Forbidden("A merchant lists only the cases it answers; leave merchantId out or name yourself.");
            case PlatformRoles.Buyer when buyerId is not null && buyerId != caller.SubjectId:
                return Problems.Forbidden("A buyer lists only its own cases; leave buyerId out or name yourself.");
            case PlatformRoles.Arbitrator or PlatformRoles.CustomerService:
                audience = CaseAudience.Everyone;
                break;
            case PlatformRoles.Merchant:
                audience = CaseAudience.Merchant;
                break;
            case PlatformRoles.Operator:
                audience = CaseAudience.RepairOperations;
                break;
            case PlatformRoles.Buyer:
                audience = CaseAudience.Buyer;
                break;
            default:
                return Problems.Forbidden("Repair providers take no part in arbitration cases.");
        }
        CaseStatus? wanted = null;
        if (status is not null)
        {
            if (!Input.TryParseName<CaseStatus>(status, out var parsed) || parsed == CaseStatus.NotOpened)
            {
                return Problems.Invalid("status", "status must be one of AwaitingRespondent, AwaitingRuling, Ruled.");
            }
            wanted = parsed;
        }
        Contract.RespondentKind? kind = null;
        if (respondentKind is not null)
        {
            if (!Input.TryParseName<Contract.RespondentKind>(respondentKind, out var parsed))
            {
                return Problems.Invalid("respondentKind", $"respondentKind must be one of {Input.Names<Contract.RespondentKind>()}.");
            }
            kind = parsed;
        }
        if (paging.Size(limit, out var size) is { } badLimit)
        {
            return badLimit;
        }
        var party = audience is CaseAudience.Merchant or CaseAudience.Buyer ? caller.SubjectId : null;
        var filter = new CaseFilter(audience, party, wanted, arbitrator, kind, merchantId, buyerId, orderId, claimId);
        return PageCursor.TryRead(cursor, filter.Scope, 2, CaseList.TryKey, out var after)
            ? Results.Ok(await CaseList.Page(dataSource, filter, after, size, settings.BusinessTimeZoneId, ct))
            : PageCursor.Invalid();
    }
}
