using System.Diagnostics.Metrics;
using Order.Domain;

namespace Order.Service;

/// <summary>The Order service's business metrics, exported with the platform's own meters.</summary>
public sealed class OrderMetrics
{
    public const string MeterName = "Platform.Order";
    public const string CompletedName = "platform.order.completed";
    public const string RefusedName = "platform.order.trade_events.refused";

    private readonly Counter<long> completed;
    private readonly Counter<long> refused;

    public OrderMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        completed = meter.CreateCounter<long>(CompletedName, "{order}", "Orders completed, by who confirmed receipt (confirmed_by: Buyer, System)");
        refused = meter.CreateCounter<long>(RefusedName, "{event}", "Trade events refused, by the domain's reason code (code)");
    }

    /// <summary>Counts what a committed unit of work recorded; called only after the commit, so a retried one counts once.</summary>
    public void Count(IReadOnlyList<OrderEvent> recorded)
    {
        foreach (var @event in recorded)
        {
            switch (@event)
            {
                case OrderEvent.OrderCompleted done:
                    completed.Add(1, new KeyValuePair<string, object?>("confirmed_by", done.ConfirmedBy.ToString()));
                    break;
                case OrderEvent.ParkedTradeEventRejected rejected:
                    Refused(rejected.Code.ToString());
                    break;
            }
        }
    }

    /// <summary>A trade event refused, by its refusal's code; called only after the commit that keeps the refusal.</summary>
    public void Refused(string code) => refused.Add(1, new KeyValuePair<string, object?>("code", code));
}
