using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Warranty.Service.ReadModels;

namespace Warranty.Service.Features.ListWarranties;

/// <summary>
/// A buyer's warranties. The buyer is the token's, and a buyer naming another buyer gets 403; customer service,
/// which reads every file, lists every buyer's or names one.
/// </summary>
public static class ListWarrantiesEndpoint
{
    public static IEndpointRouteBuilder MapListWarranties(this IEndpointRouteBuilder app)
    {
        app.MapGet("/warranties", Handle)
            .WithName("ListWarranties")
            .Produces<Page<WarrantyListItem>>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Worklist: a buyer's warranties, newest first, with when the entry closes and the coverage ends");
        return app;
    }

    private static async Task<IResult> Handle(
        string? buyerId, bool? covered, string? orderId, string? cursor, int? limit,
        HttpContext http, NpgsqlDataSource dataSource, WorklistPaging paging, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.GetCaller();
        string? buyer;
        if (caller.Is(PlatformRoles.Buyer))
        {
            if (buyerId is not null && buyerId != caller.SubjectId)
            {
                return Problems.Forbidden("A buyer lists only its own warranties; leave buyerId out or name yourself.");
            }
            buyer = caller.SubjectId;
        }
        else if (caller.Is(PlatformRoles.CustomerService))
        {
            buyer = buyerId;
        }
        else
        {
            return Problems.Forbidden("Warranties are listed for their buyer and for customer service, which reads every file.");
        }
        if (paging.Size(limit, out var size) is { } badLimit)
        {
            return badLimit;
        }
        var filter = new WarrantyFilter(buyer, covered, orderId, clock.GetUtcNow());
        return PageCursor.TryRead(cursor, filter.Scope, 3, WarrantyList.TryKey, out var after)
            ? Results.Ok(await WarrantyList.Page(dataSource, filter, after, size, ct))
            : PageCursor.Invalid();
    }
}
