using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Warranty.Domain;
using Warranty.Service.ReadModels;

namespace Warranty.Service.Features.ListClaims;

/// <summary>
/// The claims worklists. Whose claims are listed comes from the token alone: a merchant gets its own, a buyer its own,
/// customer service the claims it filed. A party naming another party in a filter gets 403, never that party's claims.
/// </summary>
public static class ListClaimsEndpoint
{
    public static IEndpointRouteBuilder MapListClaims(this IEndpointRouteBuilder app)
    {
        app.MapGet("/claims", Handle)
            .WithName("ListClaims")
            .Produces<Page<ClaimListItem>>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Worklist: a merchant's claims (awaiting its answer first, by respondBy), a buyer's, or those customer service filed");
        return app;
    }

    private static async Task<IResult> Handle(
        string? status, string? orderId, string? buyerId, string? merchantId, string? filedBy, string? cursor, int? limit,
        HttpContext http, NpgsqlDataSource dataSource, WorklistPaging paging, CancellationToken ct)
    {
        var caller = http.GetCaller();
        ClaimAudience audience;
        switch (caller.Role)
        {
            case PlatformRoles.Merchant when merchantId is not null && merchantId != caller.SubjectId:
                return Problems.Forbidden("A merchant lists only its own claims; leave merchantId out or name yourself.");
            case PlatformRoles.Buyer when buyerId is not null && buyerId != caller.SubjectId:
                return Problems.Forbidden("A buyer lists only its own claims; leave buyerId out or name yourself.");
            case PlatformRoles.Merchant:
                audience = ClaimAudience.Merchant;
                break;
            case PlatformRoles.Buyer:
                audience = ClaimAudience.Buyer;
                break;
            case PlatformRoles.CustomerService:
                audience = ClaimAudience.CustomerService;
                break;
            default:
                return Problems.Forbidden("Claims are listed for merchants, buyers and customer service; others read a claim by its id.");
        }
        if (status is not null && !Enum.GetNames<ClaimStatus>().Contains(status, StringComparer.Ordinal))
        {
            return Problems.Invalid("status", $"status must be one of {string.Join(", ", Enum.GetNames<ClaimStatus>())}.");
        }
        if (filedBy is not null && audience != ClaimAudience.CustomerService)
        {
            return Problems.Invalid("filedBy", "filedBy narrows customer service's queue to one agent; other callers list their own claims.");
        }
        if (paging.Size(limit, out var size) is { } badLimit)
        {
            return badLimit;
        }
        var party = audience == ClaimAudience.CustomerService ? null : caller.SubjectId;
        var filter = new ClaimFilter(audience, party, status, orderId, buyerId, merchantId, filedBy);
        return PageCursor.TryRead(cursor, filter.Scope, filter.KeyLength, keys => ClaimList.TryKey(filter, keys), out var after)
            ? Results.Ok(await ClaimList.Page(dataSource, filter, after, size, ct))
            : PageCursor.Invalid();
    }
}
