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
/// Disputes carried through Order, Warranty and Arbitration as they run: a refused claim escalated over
/// HTTP ends, through the respondent's silence and a default ruling, with the claim approved; a denied
/// reopen request appealed ends with an arbitrator reopening the entry, announced with the ruling as its cause.
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
        await probe.Observe<EntryReopened>();
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

    [Fact]
    public async Task An_arbitrator_ruling_to_reopen_the_entry_is_announced_with_the_ruling_as_cause_and_the_buyers_next_claim_is_accepted()
    {
        // Seeds bought 60 days ago: the 15-day entry is closed; a reopen for an ordinary fault is denied, but may be appealed.
        var orderId = $"o-{Guid.NewGuid():N}";
        var seeds = TradeSystem.Phone("L1", nationalWarrantyMonths: 0) with { Category = "seeds", Sku = "SKU-SEEDS-1", Title = "Tomato seeds, 200" };
        await TradeSystem.CompleteOrder(probe, orderId, "buyer-1", "merchant-1", env.TimeProvider.GetUtcNow().AddDays(-60), seeds);
        var buyer = warranty.As(PlatformRoles.Buyer, "buyer-1");
        await Eventually.Until(async () => (await buyer.GetAsync($"/warranties/{orderId}/L1")).StatusCode == HttpStatusCode.OK,
            Deadline, "the trade events complete the order and Warranty activates the line");
        var claim = new { orderId, lineId = "L1", fault = "LongDiscoveryDefect", faultDescription = "Not one seed has sprouted.", remedyAsked = "Return" };
        Assert.Equal("EntryClosed", (await Json(await buyer.PostAsJsonAsync("/claims", claim))).GetProperty("rejection").GetProperty("reason").GetString());

        var denial = await Json(await buyer.PostAsJsonAsync($"/warranties/{orderId}/L1/reopen",
            new { fault = "QualityFault", faultDescription = "The seeds look mouldy." }));
        Assert.Equal("Denied", denial.GetProperty("outcome").GetString());
        var requestId = denial.GetProperty("requestId").GetGuid();

        var appellant = arbitration.As(PlatformRoles.Buyer, "buyer-1");
        HttpResponseMessage appealed = null!;
        await Eventually.Until(async () => (appealed = await appellant.PostAsJsonAsync("/appeals",
                new { subject = "ReopenDenied", reopenRequestId = requestId, statement = "The mould is why they never sprouted." })).StatusCode != HttpStatusCode.NotFound,
            Deadline, "Arbitration knows the denial and opens the case");
        var caseId = (await Json(appealed)).GetProperty("caseId").GetGuid();
        // The merchant answers in time, so the ruling is the arbitrator's, not a default one.
        await Json(await arbitration.As(PlatformRoles.Merchant, "merchant-1").PostAsJsonAsync($"/cases/{caseId}/evidence",
            new { statement = "The seeds were sound when shipped." }));
        await Json(await arbitration.As(PlatformRoles.Arbitrator, "arbitrator-1").PostAsJsonAsync($"/cases/{caseId}/ruling",
            new { inFavourOf = "Buyer", remedy = "ReopenEntry", rationale = "The photos show mould from the packet." }));

        var ruling = await probe.WaitFor<RulingIssued>(r => r.CaseId == caseId, Deadline, "the arbitrator's ruling is published");
        Assert.Equal((false, "arbitrator-1", RulingRemedy.ReopenEntry), (ruling.DefaultRuling, ruling.ArbitratorId, ruling.Remedy));
        var reopened = await probe.WaitFor<EntryReopened>(r => r.OrderId == orderId, Deadline, "Warranty announces the reopening");
        Assert.Equal((ReopenGround.ArbitrationRuling, caseId, requestId, "buyer-1"), (reopened.Ground, reopened.CaseId, reopened.RequestId, reopened.BuyerId));

        var accepted = await Json(await buyer.PostAsJsonAsync("/claims", claim));
        Assert.Equal("Return", accepted.GetProperty("approval").GetProperty("remedyGranted").GetString());
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
