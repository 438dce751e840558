using Arbitration.Domain;
using Microsoft.AspNetCore.Http;

namespace Arbitration.Service.Http;

/// <summary>The service's refusals as problem details.</summary>
public static class Problems
{
    /// <summary>
    /// The one answer for a case that does not exist and for one the caller may not see, so that
    /// nothing of another party's case leaks, not even that it exists.
    /// </summary>
    public static IResult CaseNotFound(Guid caseId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No case {caseId} that you may see.");

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static IResult Conflict(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: code, detail: detail,
            extensions: new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code });

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A refusal of the decider, with its code, its reason and, when it only came too early, when to try again.</summary>
    public static IResult Refused(Guid caseId, CaseDecision.Refused refused) => refused.Code switch
    {
        // A stranger's or a missing case: the same answer as for a case that was never opened.
        CaseRefusalCode.NotAParty or CaseRefusalCode.CaseNotOpen => CaseNotFound(caseId),
        CaseRefusalCode.NotAnArbitrator or CaseRefusalCode.NotTheAssignedArbitrator => Results.Problem(
            statusCode: StatusCodes.Status403Forbidden, title: refused.Code.ToString(), detail: refused.Reason,
            extensions: new Dictionary<string, object?> { ["code"] = refused.Code.ToString() }),
        CaseRefusalCode.MissingField or CaseRefusalCode.MissingRationale or CaseRefusalCode.InvalidCompensation => Results.Problem(
            statusCode: StatusCodes.Status400BadRequest, title: refused.Code.ToString(), detail: refused.Reason,
            extensions: new Dictionary<string, object?> { ["code"] = refused.Code.ToString() }),
        _ => Conflict(refused.Code.ToString(), refused.Reason,
            refused.RetryAt is { } retryAt ? new Dictionary<string, object?> { ["retryAt"] = retryAt } : null),
    };
}
