using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Warranty.Domain;

namespace Warranty.Service;

/// <summary>The answers every endpoint gives the same way.</summary>
public static class Api
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// How often a command that lost an optimistic race is decided again before the caller is told to retry: as
    /// many as the bus gives a consumer, since both race for the same files.
    /// </summary>
    private const int Attempts = 10;

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    /// <summary>The one answer for "absent" and "not yours", so that nothing of another party's order leaks.</summary>
    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult Conflict(string code, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult Refused(WarrantyRuleViolation violation) => Conflict(nameof(WarrantyRuleViolation), violation.Message);

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// Runs a command's unit of work again from a fresh load when another writer got to the file first, as the
    /// bus does for consumers; a caller still losing after that is asked to retry rather than shown a failure.
    /// </summary>
    public static Task<IResult> Retrying(Func<Task<IResult>> attempt) =>
        Conflicts.Retry(attempt, Attempts, _ => Conflict("ConcurrentChange", "The warranty file changed while this request was decided; send it again."));

    /// <summary>
    /// The Idempotency-Key header, when given, is the id of what the request creates, so a retried request finds
    /// what the first one made instead of making it twice; without it the id is new. Returns the 400 to answer
    /// when the header is not one UUID, else null.
    /// </summary>
    public static IResult? ReadIdempotencyKey(HttpContext http, out Guid id)
    {
        var header = http.Request.Headers[IdempotencyKeyHeader];
        id = Guid.NewGuid();
        if (header.Count == 0)
        {
            return null;
        }
        return header.Count == 1 && Guid.TryParse(header[0], out id) && id != Guid.Empty
            ? null
            : Invalid(IdempotencyKeyHeader, "The Idempotency-Key header must be one UUID, used as the id of what the request creates.");
    }
}

/// <summary>Who may see a warranty file and its claims (DOMAIN.md "Who may do what").</summary>
public static class Access
{
    /// <summary>
    /// Roles that read warranty files and claims at all: the parties of an order, customer service, and the
    /// arbitrators who rule on its claims. Providers see their jobs and operators their queues, never a file.
    /// </summary>
    public static bool MayEverRead(Caller caller) =>
        caller.Is(PlatformRoles.Buyer) || caller.Is(PlatformRoles.Merchant)
        || caller.Is(PlatformRoles.CustomerService) || caller.Is(PlatformRoles.Arbitrator);

    public static bool MayRead(Caller caller, WarrantyFile.Activated file) =>
        caller.Is(PlatformRoles.CustomerService) || caller.Is(PlatformRoles.Arbitrator)
        || caller.IsParty(PlatformRoles.Buyer, file.BuyerId) || caller.IsParty(PlatformRoles.Merchant, file.MerchantId);

    public const string ReadersText = "Only the order's buyer and merchant, customer service and arbitrators may read warranty files and claims.";
}
