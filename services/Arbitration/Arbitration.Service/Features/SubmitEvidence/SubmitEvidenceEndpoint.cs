using Arbitration.Domain;
using Arbitration.Service.Cases;
using Arbitration.Service.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.EventSourcing;
using Platform.ServiceDefaults;

namespace Arbitration.Service.Features.SubmitEvidence;

public sealed record EvidenceRequest(string? Statement, IReadOnlyList<string>? Links);

public static class SubmitEvidenceEndpoint
{
    /// <summary>
    /// The case's buyer or its respondent adds a statement and links. The respondent's first
    /// evidence is its answer, and saves it from losing by default. The same evidence sent again
    /// changes nothing.
    /// </summary>
    public static IEndpointRouteBuilder MapSubmitEvidence(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cases/{caseId:guid}/evidence", (Guid caseId, EvidenceRequest? evidence, HttpContext http, EventStore store,
            ArbitrationPolicy policy, ArbitrationMetrics metrics, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!CaseAccess.MayEverSubmitEvidence(caller) || CaseAccess.ActorOf(caller) is not { } actor)
            {
                return Task.FromResult(Problems.Forbidden("Only the buyer and the respondent of a case may submit evidence to it."));
            }
            if (evidence is null)
            {
                return Task.FromResult(Problems.Invalid("body", "Evidence is required."));
            }
            if (Input.Evidence(evidence.Statement, evidence.Links) is { } invalid)
            {
                return Task.FromResult(invalid);
            }
            return Retrying.OnConflict(async () =>
            {
                await using var session = await store.OpenSession(caseId, ct);
                var stream = await CaseStreams.Load(session, caseId, ct);
                if (stream.State.File is not { } file || !CaseAccess.MayRead(caller, file))
                {
                    return Problems.CaseNotFound(caseId);
                }
                var command = new CaseCommand.SubmitEvidence(caseId, actor, evidence.Links ?? [], evidence.Statement!, clock.GetUtcNow());
                var decision = CaseDecider.Decide(command, stream.State, policy);
                if (decision is CaseDecision.Refused refused)
                {
                    return Problems.Refused(caseId, refused);
                }
                var change = await CaseEffects.Apply(session, stream, ((CaseDecision.Accepted)decision).Events, ct);
                await session.Commit(ct);
                metrics.Record(change);
                return Results.Ok(CaseView.From(change.State));
            });
        })
        .WithName("SubmitEvidence")
        .WithSummary("Add a statement and evidence links to a case (its buyer, or its respondent: the merchant, or operators for repair operations)");
        return app;
    }
}
