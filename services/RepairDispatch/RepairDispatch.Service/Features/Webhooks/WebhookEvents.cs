using System.Text.Json;
using MassTransit;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.RepairJobs;
using static RepairDispatch.Domain.RepairJobEvent;

namespace RepairDispatch.Service.Features.Webhooks;

/// <summary>What a webhook delivery's body is: one event of one job, for the provider concerned.</summary>
/// <param name="Id">The delivery's id, also sent as the Platform-Webhook-Id header: the same on a retry and a redelivery, so a receiver can ignore one it has handled.</param>
/// <param name="Attempt">The dispatch attempt the event is about: the provider's own.</param>
/// <param name="Data">job.dispatched: the RepairJobDispatched message, as the provider's queue gets it; the others: why.</param>
public sealed record WebhookEvent(Guid Id, string Type, DateTimeOffset OccurredAt, string ProviderId, Guid JobId, int Attempt, object Data);

/// <summary>Why a job was taken from its provider and given to the next one.</summary>
public sealed record RedispatchedAway(Platform.Contracts.Repair.V1.RedispatchReason Reason, DateTimeOffset CallbackDeadline);

/// <summary>Why a job the provider held ended without it: the platform took it over (escalated).</summary>
public sealed record JobCancelled(EscalationReason Reason, string Detail);

/// <summary>
/// Turns a job's events into deliveries for the providers they concern, written in the job's unit of work.
/// </summary>
/// <remarks>
/// The outbox, not a consumer of the service's published events: a job's events already run their effects in
/// one transaction, so a delivery row written there exists exactly when the event does, with nothing more on the
/// broker; and "the job was taken from you" is a fact about the job's state before and after (no contract
/// message carries it to the provider that lost the job), which only the unit of work sees.
/// </remarks>
public static class WebhookEvents
{
    public const string Dispatched = "job.dispatched";
    public const string RedispatchedAwayType = "job.redispatched-away";
    public const string Cancelled = "job.cancelled";

    /// <summary>The channel the unit of work notifies on commit, so the worker sends at once instead of at its next poll.</summary>
    public const string Channel = "webhook_deliveries";

    public static void Record(Session session, RepairJob before, RepairJob.Opened after, IReadOnlyList<RepairJobEvent> events, DateTimeOffset now)
    {
        var notices = Of(before, after, events, now).ToList();
        if (notices.Count == 0)
        {
            return;
        }
        // Only providers with a registration get a row: the others learn of their jobs on their queues. The rows'
        // trigger wakes the worker (WebhookMigrations, version 2).
        session.Queue("""
            insert into webhook_deliveries (id, provider_id, job_id, event_type, body)
            select n.id, n.provider_id, n.job_id, n.event_type, n.body
            from unnest(?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[]) as n(id, provider_id, job_id, event_type, body)
            join webhook_registrations r on r.provider_id = n.provider_id
            """,
            notices.Select(n => n.Id).ToArray(),
            notices.Select(n => n.ProviderId).ToArray(),
            notices.Select(n => n.JobId).ToArray(),
            notices.Select(n => n.Type).ToArray(),
            notices.Select(n => JsonSerializer.Serialize(n, Json.Options)).ToArray());
    }

    /// <summary>
    /// A dispatch for the provider it goes to; for the provider that held the job, its loss, unless it let the
    /// job go itself (a decline, a completion): redispatched away when another provider has it now, cancelled
    /// when the platform took it over.
    /// </summary>
    public static IEnumerable<WebhookEvent> Of(RepairJob before, RepairJob.Opened after, IReadOnlyList<RepairJobEvent> events, DateTimeOffset now)
    {
        if (before is RepairJob.InProgress { Current: { } lost }
            && (after as RepairJob.InProgress)?.Current?.ProviderId != lost.ProviderId
            && !events.Any(e => e is RepairJobDeclined or RepairJobCompleted))
        {
            yield return after is RepairJob.Escalated escalated
                ? new WebhookEvent(NewId.NextGuid(), Cancelled, now, lost.ProviderId, after.Details.JobId, lost.Number,
                    new JobCancelled(escalated.Reason, events.OfType<RepairJobEscalated>().Select(e => e.Detail).FirstOrDefault() ?? ""))
                : new WebhookEvent(NewId.NextGuid(), RedispatchedAwayType, now, lost.ProviderId, after.Details.JobId, lost.Number,
                    new RedispatchedAway(Platform.Contracts.Repair.V1.RedispatchReason.CallbackSlaBreached, lost.CallbackDeadlineAt));
        }
        foreach (var dispatched in events.OfType<RepairJobDispatched>())
        {
            yield return new WebhookEvent(NewId.NextGuid(), Dispatched, now, dispatched.ProviderId, dispatched.JobId, dispatched.Attempt,
                ContractMessages.Dispatched(dispatched));
        }
    }
}
