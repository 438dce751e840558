using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Service.Features.Webhooks;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// A job's delivery leaves with the commit that writes it: the delivery worker polls only every ten minutes here, so
/// a delivery that arrives within seconds was woken by the commit's notification.
/// </summary>
public sealed class WebhookWakeTests() : WebhookReceiverTest(
    "--RepairDispatch:Webhooks:AllowedNetworks:0=127.0.0.0/8",
    "--RepairDispatch:Webhooks:PollInterval=00:10:00")
{
    private static readonly TimeSpan WellBeforeThePoll = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_dispatch_reaches_the_providers_webhook_without_waiting_for_the_workers_poll()
    {
        var region = Repair.Unique("ww");
        var provider = Repair.Unique("pw");
        await Service.RegisterProvider(provider, region);
        using var client = Service.As(PlatformRoles.Provider, provider);
        await Register(client, provider, Receiver.Url);

        var claim = Repair.Claim(region);
        await Probe.Publish(claim);

        var job = RepairJobs.NameBasedIds.JobForClaim(claim.ClaimId);
        await Eventually.Until(() => Receiver.Verified.Any(r => r.Type == WebhookEvents.Dispatched && r.JobId == job),
            WellBeforeThePoll, "the dispatch's delivery, long before the worker's next poll");
    }
}
