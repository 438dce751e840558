using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.Domain;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;
using static RepairDispatch.Domain.RepairJobCommand;
using Platform.ServiceDefaults.OpenApi;
using System.ComponentModel.DataAnnotations;

namespace RepairDispatch.Service.Features.ProviderReports;

/// <param name="ReasonCode">From the published list (DeclineReasonCode); absent is Other, which needs <paramref name="Reason"/>.</param>
/// <param name="Reason">A note in the provider's words; optional unless the code is Other.</param>
public sealed record DeclineRequest(string? Reason, [property: EnumNames(typeof(DeclineReasonCode))] string? ReasonCode = null);

public sealed record CustomerContactedRequest([property: Required] DateTimeOffset? BookedFor);

/// <param name="ProgressCode">From the published list (ProgressCode); absent is Other, which needs <paramref name="Progress"/>.</param>
/// <param name="Progress">A note in the provider's words; optional unless the code is Other.</param>
/// <param name="AttachmentLinks">Absolute https links to photos or documents; optional.</param>
public sealed record ProgressRequest(string? Progress, [property: EnumNames(typeof(ProgressCode))] string? ProgressCode = null, IReadOnlyList<string?>? AttachmentLinks = null);

/// <param name="Outcome">Repaired, Replaced or Unrepairable.</param>
public sealed record CompletionRequest([property: Required, EnumNames(typeof(RepairOutcome))] string? Outcome, [property: Required] string? Report);

/// <summary>What the refusal log keeps of a provider's request on a job that is not theirs.</summary>
public sealed record RefusedProviderRequest(Guid JobId, string ProviderId, string Action);

/// <summary>
/// The provider reports by HTTP, as the provider the token names: the same commands as the
/// messages on the reports queue. Every success answers 204; the job is read with GET /jobs/{id}.
/// </summary>
public static class ProviderReportEndpoints
{
    public static WebApplication MapProviderReports(this WebApplication app)
    {
        var jobs = app.MapGroup("/jobs/{id:guid}").AnswerKeptByUnitOfWork();

        jobs.MapPost("/accept", (Guid id, HttpContext http, ProviderActions actions, CancellationToken ct) =>
                actions.Run(http, id, "accept", null, (provider, job) => new AcceptJob(id, provider, job.Now), ct))
            .WithName("AcceptJob")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The provider takes the job dispatched to it");

        jobs.MapPost("/decline", (Guid id, DeclineRequest? body, HttpContext http, ProviderActions actions, CancellationToken ct) =>
            {
                var code = ReportCodes.Parse<DeclineReasonCode>(body?.ReasonCode);
                var note = body?.Reason?.Trim() ?? "";
                var invalid = code is null ? ("reasonCode", ReportCodes.Unknown<DeclineReasonCode>("reasonCode", body?.ReasonCode))
                    : code == DeclineReasonCode.Other && note.Length == 0 ? ("reason", "Say why the job is declined, or give a reasonCode from the published list.")
                    : ((string, string)?)null;
                return actions.Run(http, id, "decline", invalid,
                    (provider, job) => new DeclineJob(id, provider, note, job.Providers, job.Now, code!.Value), ct,
                    code is null ? nameof(RepairDispatchRefusalCode.UnknownReasonCode) : null);
            })
            .WithName("DeclineJob")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The provider declines the job; it is dispatched to the next provider at once");

        jobs.MapPost("/customer-contacted", (Guid id, CustomerContactedRequest? body, HttpContext http, ProviderActions actions, CancellationToken ct) =>
                actions.Run(http, id, "customer-contacted",
                    body?.BookedFor is null ? ("bookedFor", "Give the visit or collection time booked with the buyer (ISO 8601).") : null,
                    (provider, job) => new ReportCustomerContacted(id, provider, body!.BookedFor!.Value, job.Now), ct))
            .WithName("ReportCustomerContacted")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The provider called the buyer back and booked the service");

        jobs.MapPost("/device-received", (Guid id, HttpContext http, ProviderActions actions, CancellationToken ct) =>
                actions.Run(http, id, "device-received", null, (provider, job) => new ReportDeviceReceived(id, provider, job.Now), ct))
            .WithName("ReportDeviceReceived")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A mailed-in device reached the provider; progress is owed within the feedback period");

        jobs.MapPost("/progress", (Guid id, ProgressRequest? body, HttpContext http, ProviderActions actions, RepairDispatchSettings settings, CancellationToken ct) =>
            {
                var code = ReportCodes.Parse<ProgressCode>(body?.ProgressCode);
                var note = body?.Progress?.Trim() ?? "";
                var invalid = code is null ? ("progressCode", ReportCodes.Unknown<ProgressCode>("progressCode", body?.ProgressCode))
                    : code == ProgressCode.Other && note.Length == 0 ? ("progress", "Say how the repair is going, or give a progressCode from the published list.")
                    : ReportCodes.AttachmentProblem(body?.AttachmentLinks, settings.MaxAttachmentLinks) is { } bad ? ("attachmentLinks", bad)
                    : ((string, string)?)null;
                return actions.Run(http, id, "progress", invalid,
                    (provider, job) => new ReportProgress(id, provider, note, job.Now, code!.Value, [.. body?.AttachmentLinks?.OfType<string>() ?? []]), ct,
                    code is null ? nameof(RepairDispatchRefusalCode.UnknownReasonCode) : null);
            })
            .WithName("ReportProgress")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The provider reports how the repair is going");

        jobs.MapPost("/complete", (Guid id, CompletionRequest? body, HttpContext http, ProviderActions actions, CancellationToken ct) =>
            {
                var outcome = Enum.GetValues<RepairOutcome>().Select(o => (RepairOutcome?)o)
                    .FirstOrDefault(o => string.Equals(o.ToString(), body?.Outcome, StringComparison.OrdinalIgnoreCase));
                var invalid = outcome is null
                    ? ("outcome", $"Give the outcome: one of {string.Join(", ", Enum.GetNames<RepairOutcome>())}.")
                    : string.IsNullOrWhiteSpace(body?.Report)
                        ? ("report", "Say what was found and done.")
                        : ((string, string)?)null;
                return actions.Run(http, id, "complete", invalid,
                    (provider, job) => new ReportCompletion(id, provider, outcome!.Value, body!.Report!.Trim(), job.Now), ct);
            })
            .WithName("CompleteJob")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The provider reports the job ended: repaired, replaced or unrepairable");

        return app;
    }
}

/// <summary>Carries out one provider request on a job: the checks every report shares, then the job's decision through the pipeline.</summary>
public sealed class ProviderActions(RequestPipeline pipeline, RepairJobStream jobs, EventStore store)
{
    public async Task<IResult> Run(
        HttpContext http,
        Guid jobId,
        string action,
        (string Field, string Message)? invalid,
        Func<string, JobToDecide, RepairJobCommand> command,
        CancellationToken ct,
        string? invalidCode = null)
    {
        var caller = http.GetCaller();
        if (!caller.Is(PlatformRoles.Provider))
        {
            return Problems.Forbidden("Only repair providers report on repair jobs.");
        }
        if (invalid is { } error)
        {
            // A code a program can act on, beside the field, where the input is wrong in a way the list names.
            return invalidCode is null ? Problems.Invalid(error.Field, error.Message)
                : Results.ValidationProblem(new Dictionary<string, string[]> { [error.Field] = [error.Message] },
                    extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = invalidCode });
        }
        var flow = await JobReadModel.FlowOf(store.DataSource, jobId, ct) ?? jobId;
        return await pipeline.Run($"provider-report-{action}", async (work, ct) =>
        {
            var handled = await jobs.Handle(work, jobId, opening: null, job => command(caller.SubjectId, job), ct);
            if (handled.Decision is not Decision<RepairJobEvent>.Refused refused)
            {
                return Results.NoContent();
            }
            if (refused.Events.Count > 0)
            {
                work.Session.RecordRefusal(new RefusedProviderRequest(jobId, caller.SubjectId, action), refused.Refusal.Code, refused.Refusal.Reason);
            }
            return JobAccess.NotTheCallers(refused.Refusal) ? JobAccess.NoJob(jobId) : Problems.Refused(refused.Refusal);
        }, ct, flow);
    }
}
