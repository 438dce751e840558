using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Arbitration.Service;
using Order.Service;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Service;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// A refused claim escalated over HTTP ends, through the respondent's silence and a default ruling,
/// with the claim approved in the Warranty service: Order, Warranty and Arbitration as they run.
/// </summary>
public sealed class ArbitrationFlowTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private TestEnvironment env = null!;
    private RunningService order = null!;
    private RunningService warranty = null!;
    private RunningService arbitration = null!;
    private BusProbe probe = null!;

    public async Task InitializeAsync()
    {
        // 20,000 times real time: the merchant's 48 hours last about 9 s, the respondent's 72 hours about 13 s.
        env = await TestEnvironment.Create(clockSpeed: 20_000);
        order = await RunningService.Start(OrderService.Create, env, "order");
        warranty = await RunningService.Start(WarrantyService.Create, env, "warranty");
        arbitration = await RunningService.Start(ArbitrationService.Create, env, "arbitration");
        probe = await BusProbe.Start(env);
        await probe.Observe<RulingIssued>();
        await probe.Observe<ClaimResolved>();
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await arbitration.DisposeAsync();
        await warranty.DisposeAsync();
        await order.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_claim_escalated_over_HTTP_is_approved_in_Warranty_by_a_default_ruling()
    {
        var orderId = $"o-{Guid.NewGuid():N}";
        await TradeSystem.CompleteOrder(probe, orderId, "buyer-1", "merchant-1", env.TimeProvider.GetUtcNow(), TradeSystem.Phone("L1"));
        var buyer = warranty.As(PlatformRoles.Buyer, "buyer-1");
        var merchant = warranty.As(PlatformRoles.Merchant, "merchant-1");
        await Eventually.Until(async () => (await buyer.GetAsync($"/warranties/{orderId}/L1")).StatusCode == HttpStatusCode.OK,
            Deadline, "the trade events complete the order and Warranty activates the line");

        using var filed = await buyer.PostAsJsonAsync("/claims", new
        {
            orderId,
            lineId = "L1",
            fault = "QualityFault",
            faultDescription = "The screen flickers from the first day.",
            remedyAsked = "Return",
        });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var claimId = JsonDocument.Parse(await filed.Content.ReadAsStringAsync()).RootElement.GetProperty("claimId").GetGuid();

        using var refused = await merchant.PostAsJsonAsync($"/claims/{claimId}/refuse", new { reason = "The phone was dropped; the screen is cracked." });
        Assert.True(refused.IsSuccessStatusCode, await refused.Content.ReadAsStringAsync());
        using var escalated = await buyer.PostAsJsonAsync($"/claims/{claimId}/escalate", new { statement = "It flickered before any drop; see the unboxing video." });
        Assert.True(escalated.IsSuccessStatusCode, await escalated.Content.ReadAsStringAsync());

        var ruling = await probe.WaitFor<RulingIssued>(r => r.ClaimId == claimId, Deadline, "the merchant stays silent and loses by default");
        Assert.True(ruling.DefaultRuling);
        Assert.Equal(CaseParty.Buyer, ruling.InFavourOf);
        Assert.Equal(RulingRemedy.Refund, ruling.Remedy);

        var resolved = await probe.WaitFor<ClaimResolved>(r => r.ClaimId == claimId, Deadline, "Warranty applies the ruling");
        Assert.Equal(ClaimResolution.RuledForBuyer, resolved.Resolution);
        using var claim = await buyer.GetAsync($"/claims/{claimId}");
        var body = await claim.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Contains("RuledForBuyer", body, StringComparison.Ordinal);
        Assert.Contains(ruling.CaseId.ToString(), body, StringComparison.OrdinalIgnoreCase);
    }
}
