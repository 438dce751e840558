using Microsoft.AspNetCore.Http;
using RepairDispatch.Domain;

namespace RepairDispatch.Service.Http;

/// <summary>The problem details this service answers with.</summary>
public static class Problems
{
    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, detail: detail);

    /// <summary>The one answer for a job that does not exist and a job that is not the caller's, so neither leaks the other.</summary>
    public static IResult NoJob(Guid jobId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No repair job {jobId} that you may see.");

    public static IResult NoProvider(string providerId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No provider {providerId} that you may see.");

    /// <summary>Other writers kept winning the race for the same stream: nothing was done, and trying again is safe.</summary>
    public static IResult Contended() =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: "The record kept changing under this request; nothing was done. Try again.");

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) => Results.ValidationProblem(errors);

    /// <summary>A decider's refusal: its code for programs, its reason for people.</summary>
    public static IResult Refused(Refusal refusal) =>
        Results.Problem(
            statusCode: refusal.Code switch
            {
                RefusalCode.MissingProviderId or RefusalCode.CapacityBelowOne or RefusalCode.NoRegions or RefusalCode.NoCategories
                    => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            },
            title: refusal.Code.ToString(),
            detail: refusal.Reason,
            extensions: new Dictionary<string, object?> { ["code"] = refusal.Code.ToString() });
}
