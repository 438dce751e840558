using Microsoft.AspNetCore.Http;
using Platform.Domain;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The one shape of every answer that is not a success, in every service: RFC 9457 problem details,
/// with a <c>code</c> extension a program can act on where there is one.
/// </summary>
public static class Problems
{
    public const string CodeExtension = "code";

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    /// <summary>The one answer for "absent" and "not yours", so that nothing of another party's leaks.</summary>
    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Conflict(string code, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: new Dictionary<string, object?> { [CodeExtension] = code });

    /// <summary>A decider's refusal: 409 with the domain's code and reason, and when to try again if it only came early.</summary>
    public static IResult Refused(Refusal refusal)
    {
        var extensions = new Dictionary<string, object?> { [CodeExtension] = refusal.Code };
        if (refusal.RetryAt is { } retryAt)
        {
            extensions["retryAt"] = retryAt;
        }
        return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Refused", detail: refusal.Reason, extensions: extensions);
    }
}
