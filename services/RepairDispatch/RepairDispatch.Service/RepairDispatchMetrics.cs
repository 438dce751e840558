using System.Diagnostics.Metrics;
using RepairDispatch.Domain;

namespace RepairDispatch.Service;

/// <summary>The service's business metrics; recorded only after the unit of work that caused them committed.</summary>
public sealed class RepairDispatchMetrics
{
    public const string MeterName = "Platform.RepairDispatch";

    private readonly Counter<long> dispatched;
    private readonly Counter<long> breaches;
    private readonly Counter<long> redispatches;
    private readonly Counter<long> escalations;
    private readonly Histogram<double> timeToCallback;

    public RepairDispatchMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        dispatched = Meter.CreateCounter<long>("repairdispatch.jobs.dispatched", description: "Repair jobs dispatched to a provider, redispatches included");
        breaches = Meter.CreateCounter<long>("repairdispatch.callback_sla.breaches", description: "Providers that did not call the buyer back before the deadline");
        redispatches = Meter.CreateCounter<long>("repairdispatch.jobs.redispatched", description: "Repair jobs moved to another provider after a breach or a decline");
        escalations = Meter.CreateCounter<long>("repairdispatch.jobs.escalated", description: "Repair jobs escalated to the platform through arbitration");
        timeToCallback = Meter.CreateHistogram<double>("repairdispatch.time_to_callback", "h", "From dispatch to the buyer contacted, in business-clock hours");
    }

    public Meter Meter { get; }

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
