using System.Net;
using System.Net.Http.Json;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Platform.Testing;
using RepairDispatch.Service.Features.Webhooks;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// A webhook URL is a stranger's word: with no network allowed, the service reaches no internal address, whether
/// the URL names it outright or by a name that resolves to it.
/// </summary>
public sealed class WebhookReachTests() : WebhookReceiverTest(
    "--RepairDispatch:Webhooks:RetryDelay=00:00:00.200",
    "--RepairDispatch:Webhooks:MaxRetryDelay=00:00:01",
    "--RepairDispatch:Webhooks:PollInterval=00:00:00.200")
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task No_delivery_reaches_a_loopback_receiver_registered_by_address_or_by_name()
    {
        var region = Repair.Unique("wr");
        var provider = Repair.Unique("pr");
        await Service.RegisterProvider(provider, region);
        using var client = Service.As(PlatformRoles.Provider, provider);
        var path = $"/providers/{provider}/webhook";

        using (var byAddress = await client.PutAsJsonAsync(path, new { url = Receiver.Url }))
        {
            var problem = await byAddress.Problem(HttpStatusCode.BadRequest);
            Assert.Contains("public address", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        }
        await Register(client, provider, new UriBuilder(Receiver.Url) { Host = "localhost" }.Uri);

        await Probe.Publish(Repair.Claim(region));
        WebhookDeliveryView? refused = null;
        await Eventually.Until(async () =>
            (refused = (await client.Get<Page<WebhookDeliveryView>>($"{path}/deliveries")).Items
                .FirstOrDefault(d => d is { Attempts: >= 2, LastStatusCode: null, LastError: not null })) is not null,
            Wait, "the job's delivery is attempted twice and fails");
        Assert.Contains("is not a public address", refused!.LastError);
        Assert.Empty(Receiver.All);
    }
}
