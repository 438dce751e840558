using System.Diagnostics.Metrics;
using Platform.ServiceDefaults;
using Warranty.Domain;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Service;

/// <summary>The Warranty service's business metrics, exported with the platform's own meters.</summary>
public sealed class WarrantyMetrics
{
    public const string MeterName = "Platform.Warranty";
    public const string ClaimsDecidedName = "platform.warranty.claims.decided";
    public const string ActivatedName = "platform.warranty.activated";
    public const string ReopenRequestsName = "platform.warranty.reopen_requests.decided";

    private readonly Counter<long> claimsDecided;
    private readonly Counter<long> activated;
    private readonly Counter<long> reopenRequests;
    private readonly PaymentInstructions refunds;

    public WarrantyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        claimsDecided = meter.CreateCounter<long>(ClaimsDecidedName, "{claim}",
            "Claims adjudicated, by outcome (approved, rejected) and, for rejections, the reason code (reason)");
        activated = meter.CreateCounter<long>(ActivatedName, "{line}", "Warranty files activated for completed order lines");
        reopenRequests = meter.CreateCounter<long>(ReopenRequestsName, "{request}",
            "Requests to reopen the after-sales entry, by outcome (reopened, denied) and, for denials, the reason code (reason)");
        refunds = new PaymentInstructions(meter, "refund");
    }

    /// <summary>Counts what a committed unit of work recorded; called only after the commit, so a retried one counts once.</summary>
    public void Count(IReadOnlyList<WarrantyFileEvent> recorded)
    {
        foreach (var @event in recorded)
        {
            switch (@event)
            {
                case WarrantyActivated:
                    activated.Add(1);
                    break;
                case ClaimApproved:
                    claimsDecided.Add(1, new KeyValuePair<string, object?>("outcome", "approved"));
                    break;
                case ClaimRejected rejected:
                    claimsDecided.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"),
                        new KeyValuePair<string, object?>("reason", rejected.Reason.ToString()));
                    break;
                case EntryReopened { Request: not null }:
                    reopenRequests.Add(1, new KeyValuePair<string, object?>("outcome", "reopened"));
                    break;
                case RefundInstructed:
                    refunds.Instructed();
                    break;
                case PaymentConfirmed:
                    refunds.Confirmed();
                    break;
                case PaymentFailed:
                    refunds.Failed();
                    break;
                case ReopenDenied denied:
                    reopenRequests.Add(1, new KeyValuePair<string, object?>("outcome", "denied"),
                        new KeyValuePair<string, object?>("reason", denied.Reason.ToString()));
                    break;
            }
        }
    }
}
