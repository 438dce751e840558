using Arbitration.Domain;
using Arbitration.Service.Views;
using Microsoft.AspNetCore.Http;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service.Cases;

/// <summary>How the endpoints that act on an open case find it, check the caller, decide and answer.</summary>
public static class CaseRequests
{
    /// <param name="mayAct">Whether the caller may act on this case at all; otherwise it is "not found".</param>
    /// <param name="command">The command for the case, at the given instant.</param>
    public static Task<IResult> Run(
        string handler,
        Guid caseId,
        RequestPipeline pipeline,
        CaseStream cases,
        ArbitrationPolicy policy,
        TimeProvider clock,
        Func<CaseFile, bool> mayAct,
        Func<DateTimeOffset, CaseCommand> command,
        CancellationToken ct) =>
        pipeline.Run(handler, async (work, ct) =>
        {
            var found = true;
            var handled = await work.Handle(cases.Aggregate, CaseStream.StreamId(caseId), state =>
            {
                found = state.File is { } file && mayAct(file);
                return found ? CaseDecider.Decide(command(clock.GetUtcNow()), state, policy) : Decide<CaseEvent>.Nothing;
            }, ct);
            return !found ? NotFound(caseId)
                : handled.Refusal is { } refusal ? Refused(caseId, refusal)
                : Results.Ok(CaseView.From(handled.After));
        }, ct, caseId);

    /// <summary>
    /// The one answer for a case that does not exist and for one the caller may not see, so that
    /// nothing of another party's case leaks, not even that it exists.
    /// </summary>
    public static IResult NotFound(Guid caseId) => Problems.NotFound($"No case {caseId} that you may see.");

    /// <summary>
    /// A refusal of the decider with its code: 409 for what the case's state refuses, 422 for what the
    /// rules refuse in the request itself, 403 for a caller who may not do this to any case, and the
    /// answer for an absent case where saying more would tell a stranger the case exists.
    /// </summary>
    /// <remarks>The code parses back: every refusal of the case decider is named from <see cref="CaseRefusalCode"/>.</remarks>
    public static IResult Refused(Guid caseId, Refusal refusal) => Enum.Parse<CaseRefusalCode>(refusal.Code) switch
    {
        CaseRefusalCode.NotAParty or CaseRefusalCode.CaseNotOpen => NotFound(caseId),
        CaseRefusalCode.NotAnArbitrator or CaseRefusalCode.NotTheAssignedArbitrator => WithCode(StatusCodes.Status403Forbidden, "Forbidden", refusal),
        CaseRefusalCode.MissingField or CaseRefusalCode.MissingRationale or CaseRefusalCode.InvalidCompensation =>
            WithCode(StatusCodes.Status422UnprocessableEntity, "Refused", refusal),
        _ => Problems.Refused(refusal),
    };

    /// <summary>An appeal of a decision already appealed: the case it opened is named, for the caller to add evidence to.</summary>
    public static IResult AlreadyAppealed(Guid caseId) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            detail: $"This decision is already appealed in case {caseId}; add evidence to that case instead.",
            extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = nameof(CaseRefusalCode.CaseAlreadyOpen), ["caseId"] = caseId });

    private static IResult WithCode(int status, string title, Refusal refusal) =>
        Results.Problem(statusCode: status, title: title, detail: refusal.Reason,
            extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = refusal.Code });
}
