using Platform.ServiceDefaults.Http;

namespace Warranty.Service;

/// <summary>What the warranty endpoints read from a request the same way.</summary>
public static class Api
{
    /// <summary>
    /// A request that creates something uses its Idempotency-Key (required on every state-changing request) as
    /// the id of what it creates, so a retried request finds what the first one made even past the idempotency
    /// record. Returns the 400 to answer when the key is not one UUID, else null.
    /// </summary>
    public static IResult? IdempotencyKeyAsId(HttpContext http, out Guid id)
    {
        var header = http.Request.Headers[IdempotencyMiddleware.Header];
        id = Guid.Empty;
        return header.Count == 1 && Guid.TryParse(header[0], out id) && id != Guid.Empty
            ? null
            : Problems.Invalid(IdempotencyMiddleware.Header, "The Idempotency-Key header must be one UUID, used as the id of what the request creates.");
    }
}
