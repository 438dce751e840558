using System.Diagnostics.Metrics;
using RepairDispatch.Domain;

namespace RepairDispatch.Service;

/// <summary>The service's business metrics; recorded only after the unit of work that caused them committed.</summary>
public sealed class RepairDispatchMetrics
{
    public const string MeterName = "Platform.RepairDispatch";
    public const string DispatchedName = "platform.repairdispatch.jobs.dispatched";
    public const string BreachesName = "platform.repairdispatch.callback_sla.breaches";
    public const string RedispatchedName = "platform.repairdispatch.jobs.redispatched";
    public const string EscalatedName = "platform.repairdispatch.jobs.escalated";
    public const string TimeToCallbackName = "platform.repairdispatch.time_to_callback";
    public const string WebhookAttemptsName = "platform.repairdispatch.webhook.attempts";

    private readonly Counter<long> dispatched;
    private readonly Counter<long> breaches;
    private readonly Counter<long> redispatches;
    private readonly Counter<long> escalations;
    private readonly Histogram<double> timeToCallback;
    private readonly Counter<long> webhookAttempts;

    public RepairDispatchMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        dispatched = Meter.CreateCounter<long>(DispatchedName, description: "Repair jobs dispatched to a provider, redispatches included");
        breaches = Meter.CreateCounter<long>(BreachesName, description: "Providers that did not call the buyer back before the deadline");
        redispatches = Meter.CreateCounter<long>(RedispatchedName, description: "Repair jobs moved to another provider after a breach or a decline");
        escalations = Meter.CreateCounter<long>(EscalatedName, description: "Repair jobs escalated to the platform through arbitration");
        timeToCallback = Meter.CreateHistogram<double>(TimeToCallbackName, "h", "From dispatch to the buyer contacted, in business-clock hours");
        webhookAttempts = Meter.CreateCounter<long>(WebhookAttemptsName, "{attempt}",
            "Webhook delivery attempts, by provider and outcome (delivered: a 2xx; failed: anything else, the connection included)");
    }

    public Meter Meter { get; }

    /// <summary>Counts an attempt once its outcome is recorded in the delivery log.</summary>
    public void WebhookAttempt(string providerId, bool delivered) =>
        webhookAttempts.Add(1, new KeyValuePair<string, object?>("provider", providerId), new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));

    public void Record(IEnumerable<RepairJobEvent> events)
    {
        foreach (var @event in events)
        {
            switch (@event)
            {
                case RepairJobEvent.RepairJobDispatched d:
                    dispatched.Add(1, new KeyValuePair<string, object?>("provider", d.ProviderId));
                    if (d.Attempt > 1)
                    {
                        redispatches.Add(1);
                    }
                    break;
                case RepairJobEvent.ProviderCallbackSlaBreached b:
                    breaches.Add(1, new KeyValuePair<string, object?>("provider", b.ProviderId));
                    break;
                case RepairJobEvent.RepairJobEscalated e:
                    escalations.Add(1, new KeyValuePair<string, object?>("reason", e.Reason.ToString()));
                    break;
                case RepairJobEvent.CustomerContacted c:
                    timeToCallback.Record((c.ContactedAt - c.DispatchedAt).TotalHours, new KeyValuePair<string, object?>("on_time", c.OnTime));
                    break;
            }
        }
    }
}
