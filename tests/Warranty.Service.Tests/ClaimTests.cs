using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Domain;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

public sealed class ClaimTests : WarrantyServiceTest
{
    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
        await probe.Observe<Contract.ClaimApproved>();
        await probe.Observe<Contract.ClaimRejected>();
        await probe.Observe<Contract.ClaimAwaitingMerchant>();
        await probe.Observe<Contract.ClaimAcceptedByMerchant>();
        await probe.Observe<Contract.ClaimRefusedByMerchant>();
        await probe.Observe<Contract.ClaimEscalated>();
        await probe.Observe<Contract.ClaimResolved>();
    }

    /// <summary>A phone with a national warranty, 30 days after d0: repairs fall to the brand under 三包.</summary>
    private async Task<(string OrderId, string Buyer, string Merchant)> Phone(params CompletedOrderLineSpec[] extra)
    {
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-30),
            [Line("line-1"), .. extra.Select(e => Line(e.LineId, e.Category, e.NationalMonths))]));
        return (orderId, buyer, merchant);
    }

    /// <summary>Clothing two days after d0: returns fall to the merchant, who has 48 hours to answer.</summary>
    private async Task<(string OrderId, string Buyer, string Merchant)> Shirt()
    {
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-2), Line("line-1", "clothing", nationalMonths: 0)));
        return (orderId, buyer, merchant);
    }

    private sealed record CompletedOrderLineSpec(string LineId, string Category = "phones", int NationalMonths = 12);

    /// <summary>A buyer with a phone bought, and a client calling as them (the service's fixture disposes of it).</summary>
    private sealed record BuyerWithAPhone(string OrderId, string BuyerId, HttpClient Client);

    private async Task<BuyerWithAPhone> ABuyerWithAPhone()
    {
        var (orderId, buyer, _) = await Phone();
        return new BuyerWithAPhone(orderId, buyer, warranty.As(PlatformRoles.Buyer, buyer));
    }

    [Fact]
    public async Task One_claim_id_filed_at_once_on_two_order_lines_is_filed_on_one_and_refused_on_the_other_with_ClaimIdInUse()
    {
        var first = await ABuyerWithAPhone();
        var second = await ABuyerWithAPhone();
        var claimId = Guid.NewGuid();

        // Neither request looks the id up before its first decision; the one that commits second loses the claim index's
        // key and is decided again, when it sees the id taken.
        var answers = await Task.WhenAll(
            first.Client.FileClaim(Claim(first.OrderId, "line-1"), claimId),
            second.Client.FileClaim(Claim(second.OrderId, "line-1"), claimId));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var refused = await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).Problem(409);
        Assert.Equal("ClaimIdInUse", refused.GetProperty("code").GetString());
        var filedOn = (await answers.Single(a => a.StatusCode == HttpStatusCode.Created).Read<ClaimView>()).OrderId;
        var owner = filedOn == first.OrderId ? first.Client : second.Client;
        Assert.Equal(filedOn, (await (await owner.GetAsync($"/claims/{claimId}")).Read<ClaimView>()).OrderId);
    }

    /// <summary>
    /// The id is not looked up before a first decision: the claim index's key fails that commit, and the filing decided
    /// again sees the id taken. Over HTTP and by message alike, nothing is written on the second line.
    /// </summary>
    [Fact]
    public async Task A_claim_id_already_filed_on_one_line_is_refused_on_another_with_ClaimIdInUse_over_http_and_by_message()
    {
        var first = await ABuyerWithAPhone();
        var second = await ABuyerWithAPhone();
        var claimId = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await first.Client.FileClaim(Claim(first.OrderId, "line-1"), claimId)).StatusCode);

        var refused = await (await second.Client.FileClaim(Claim(second.OrderId, "line-1"), claimId)).Problem(409);
        Assert.Equal("ClaimIdInUse", refused.GetProperty("code").GetString());

        await probe.Publish(ClaimFiled(claimId, second.OrderId, "line-1", "cs-system-agent", Contract.RequesterRole.CustomerService, second.BuyerId));
        using var sre = warranty.As(PlatformRoles.Operator, "sre-1");
        await Eventually.Until(async () => (await sre.GetStringAsync("/operations/refusals")).Contains($"Claim id {claimId} already names a claim", StringComparison.Ordinal),
            Wait, "the message's claim id is refused as in use");
        Assert.Equal(first.OrderId, (await (await first.Client.GetAsync($"/claims/{claimId}")).Read<ClaimView>()).OrderId);
        Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync($"/claims/{claimId}")).StatusCode);
        using var line = await second.Client.GetAsync($"/warranties/{second.OrderId}/line-1");
        Assert.Equal(HttpStatusCode.OK, line.StatusCode);
        Assert.DoesNotContain(claimId.ToString(), await line.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_buyers_repair_claim_over_http_is_approved_under_three_guarantees_repair_answered_by_the_brand_as_the_bus_says()
    {
        var (orderId, buyer, merchant) = await Phone();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var response = await client.FileClaim(Claim(orderId, "line-1"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var claim = await response.Read<ClaimView>();
        var approved = await probe.WaitFor<Contract.ClaimApproved>(m => m.ClaimId == claim.ClaimId, Wait, "the claim is approved on the bus");
        Assert.Equal((Contract.CoverageKind.StatutoryRepair, Contract.Remedy.Repair, Contract.ResponsibleParty.Brand, Contract.ShippingPayer.Brand),
            (approved.Coverage, approved.RemedyGranted, approved.AnsweredBy, approved.ShippingPaidBy));
        Assert.Equal(new ApprovalView(approved.Coverage, approved.RemedyGranted, approved.AnsweredBy, approved.ShippingPaidBy, approved.RepeatedFaultReplacement),
            claim.Approval);
        Assert.Equal((ClaimStatus.InService, merchant, "sku-line-1", "phones"), (claim.Status, approved.MerchantId, approved.Sku, approved.Category));
        Assert.Null(claim.Rejection);
    }

    [Fact]
    public async Task The_phone_and_address_a_repair_claim_gives_go_to_repair_dispatch_with_the_approval_and_a_return_carries_neither()
    {
        var (orderId, buyer, _) = await Phone();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        const string address = "Flat 1203, Block A, 1 Keji Road, Shenzhen";

        var badPhone = await (await client.FileClaim(new { orderId, lineId = "line-1", fault = "QualityFault", faultDescription = "x", remedyAsked = "Repair",
            buyerPhone = "call me" })).Problem(400);
        Assert.True(badPhone.GetProperty("errors").TryGetProperty("buyerPhone", out _));

        var repair = await (await client.FileClaim(new { orderId, lineId = "line-1", fault = "QualityFault", faultDescription = "It flickers", remedyAsked = "Repair",
            buyerPhone = "+86 138-0000-0000", serviceAddress = $"  {address} " })).Read<ClaimView>();
        var approved = await probe.WaitFor<Contract.ClaimApproved>(m => m.ClaimId == repair.ClaimId, Wait, "the repair is approved on the bus");
        Assert.Equal((Contract.ResponsibleParty.Brand, "+8613800000000", address), (approved.AnsweredBy, approved.BuyerPhone, approved.ServiceAddress));

        var (shirtOrder, shirtBuyer, _) = await Shirt();
        using var shirtClient = warranty.As(PlatformRoles.Buyer, shirtBuyer);
        var refund = await (await shirtClient.FileClaim(new { orderId = shirtOrder, lineId = "line-1", fault = "QualityFault", faultDescription = "A seam split",
            remedyAsked = "Return", buyerPhone = "+8613800000000", serviceAddress = address })).Read<ClaimView>();
        var returned = await probe.WaitFor<Contract.ClaimApproved>(m => m.ClaimId == refund.ClaimId, Wait, "the return is approved on the bus");
        Assert.Equal((Contract.ResponsibleParty.Merchant, null, null), (returned.AnsweredBy, returned.BuyerPhone, returned.ServiceAddress));
    }

    [Fact]
    public async Task Customer_service_files_for_the_buyer_and_a_claim_for_someone_else_is_rejected_as_not_buyer()
    {
        var (orderId, buyer, _) = await Phone(new CompletedOrderLineSpec("line-2"));
        using var agent = warranty.As(PlatformRoles.CustomerService, "cs-agent-7");

        var filed = await (await agent.FileClaim(Claim(orderId, "line-1", buyerId: buyer))).Read<ClaimView>();
        var stranger = await (await agent.FileClaim(Claim(orderId, "line-2", buyerId: Id("buyer")))).Read<ClaimView>();

        Assert.Equal((ClaimStatus.InService, Contract.RequesterRole.CustomerService, "cs-agent-7", buyer),
            (filed.Status, filed.FiledByRole, filed.FiledById, filed.FiledForBuyerId));
        var rejected = await probe.WaitFor<Contract.ClaimRejected>(m => m.ClaimId == stranger.ClaimId, Wait, "the claim for another buyer is rejected");
        Assert.Equal((Contract.ClaimRejectionReason.NotBuyer, false, false), (rejected.Reason, rejected.ReopenRequestMayHelp, rejected.AppealMayHelp));
        // Someone who did not buy the line learns nothing of its merchant or product from the rejection.
        Assert.Equal(["", "", "", "", "", ""], [rejected.MerchantId, rejected.ShippingRegion, rejected.Sku, rejected.Title, rejected.Category, rejected.Brand]);
        Assert.Equal(rejected.Reason, stranger.Rejection!.Reason);
        var missing = await (await agent.FileClaim(Claim(orderId, "line-1", buyerId: null))).Problem(400);
        Assert.True(missing.GetProperty("errors").TryGetProperty("buyerId", out _));
    }

    [Fact]
    public async Task One_claim_at_a_time_per_line_and_a_retried_request_with_its_idempotency_key_files_once()
    {
        var (orderId, buyer, _) = await Phone(new CompletedOrderLineSpec("line-2"));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var key = Guid.NewGuid();

        var first = await client.FileClaim(Claim(orderId, "line-1"), key);
        var retried = await client.FileClaim(Claim(orderId, "line-1"), key);
        var another = await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();

        // The retry is answered exactly as the first call was, from the idempotency record.
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retried.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
        Assert.Equal(key, (await retried.Read<ClaimView>()).ClaimId);
        Assert.Equal(Contract.ClaimRejectionReason.ClaimAlreadyOpen, another.Rejection!.Reason);
        // The later claim's rejection is the witness that the retry was answered without a second approval.
        await probe.WaitFor<Contract.ClaimRejected>(m => m.ClaimId == another.ClaimId, Wait, "the second claim is rejected");
        Assert.Single(probe.Received<Contract.ClaimApproved>(), o => o.Message.ClaimId == key);
        var reused = await (await client.FileClaim(Claim(orderId, "line-2"), key)).Problem(422);
        Assert.Equal("IdempotencyKeyReused", reused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_claim_id_filed_again_on_its_own_line_by_another_caller_is_answered_as_it_stands_with_its_history()
    {
        var (orderId, buyer, _) = await Phone();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        using var agent = warranty.As(PlatformRoles.CustomerService, "cs-agent-9");
        var key = Guid.NewGuid();

        var filed = await client.FileClaim(Claim(orderId, "line-1"), key);
        // Another caller's key is another idempotency record: the request runs, and the decider finds the claim known.
        var again = await agent.FileClaim(Claim(orderId, "line-1", buyerId: buyer), key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (filed.StatusCode, again.StatusCode));
        var first = await filed.Read<ClaimView>();
        var known = await again.Read<ClaimView>();
        Assert.Equal((key, first.Status, first.FiledByRole), (known.ClaimId, known.Status, known.FiledByRole));
        Assert.NotEmpty(first.History);
        Assert.Equal(first.History.Select(h => (h.Event, h.At)), known.History.Select(h => (h.Event, h.At)));
    }

    [Fact]
    public async Task Claims_filed_at_the_same_moment_on_one_line_are_decided_one_after_the_other()
    {
        var (orderId, buyer, _) = await Phone();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.FileClaim(Claim(orderId, "line-1"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var claims = await Task.WhenAll(responses.Select(r => r.Read<ClaimView>()));
        Assert.Single(claims, c => c.Approval is not null);
        Assert.Equal(3, claims.Count(c => c.Rejection?.Reason == Contract.ClaimRejectionReason.ClaimAlreadyOpen));
    }

    [Fact]
    public async Task A_claim_filed_by_message_is_adjudicated_and_a_contradictory_one_is_refused_for_operators()
    {
        var (orderId, buyer, _) = await Phone(new CompletedOrderLineSpec("line-2"));
        var claimId = Guid.NewGuid();
        await probe.Publish(ClaimFiled(claimId, orderId, "line-1", claimantId: "cs-system-agent", Contract.RequesterRole.CustomerService, buyer));

        var approved = await probe.WaitFor<Contract.ClaimApproved>(m => m.ClaimId == claimId, Wait, "the claim filed by message is approved");
        Assert.Equal(Contract.CoverageKind.StatutoryRepair, approved.Coverage);
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var view = await (await client.GetAsync($"/claims/{claimId}")).Read<ClaimView>();
        Assert.Equal(("cs-system-agent", ClaimStatus.InService), (view.FiledById, view.Status));

        var contradictory = Guid.NewGuid();
        await probe.Publish(ClaimFiled(contradictory, orderId, "line-2", claimantId: Id("someone"), Contract.RequesterRole.Buyer, buyer));
        using var sre = warranty.As(PlatformRoles.Operator, "sre-1");
        await Eventually.Until(async () => (await sre.GetStringAsync("/operations/refusals")).Contains(contradictory.ToString(), StringComparison.Ordinal),
            Wait, "the contradictory claim is refused");
        Assert.Contains("a buyer files for themselves", await sre.GetStringAsync("/operations/refusals"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/claims/{contradictory}")).StatusCode);
    }

    [Fact]
    public async Task A_claim_filed_elsewhere_two_days_ago_is_adjudicated_as_of_then_and_the_merchant_has_48_hours_from_its_arrival()
    {
        // d0 eight days ago: the 7-day return window closed yesterday, but was open when the buyer asked, two days ago.
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-8), Line("line-1", "clothing", nationalMonths: 0)));
        var claimId = Guid.NewGuid();
        var sent = DateTimeOffset.UtcNow;

        await probe.Publish(ClaimFiled(claimId, orderId, "line-1", "cs-system-agent", Contract.RequesterRole.CustomerService, buyer)
            with { RemedyAsked = Contract.Remedy.Return, FiledAt = sent.AddDays(-2) });

        var approved = await probe.WaitFor<Contract.ClaimApproved>(m => m.ClaimId == claimId, Wait, "the claim is approved as of its filing");
        var waiting = await probe.WaitFor<Contract.ClaimAwaitingMerchant>(m => m.ClaimId == claimId, Wait, "the claim waits for the merchant");
        Assert.Equal((Contract.CoverageKind.StatutoryReturn, Contract.Remedy.Return, sent.AddDays(-2)), (approved.Coverage, approved.RemedyGranted, approved.ApprovedAt));
        Assert.InRange(waiting.RespondBy, sent.AddHours(48), DateTimeOffset.UtcNow.AddHours(48));
    }

    [Fact]
    public async Task A_claim_filed_elsewhere_longer_ago_than_the_setting_allows_is_refused_with_its_reason()
    {
        var (orderId, buyer, _) = await Phone();
        var claimId = Guid.NewGuid();

        await probe.Publish(ClaimFiled(claimId, orderId, "line-1", "cs-system-agent", Contract.RequesterRole.CustomerService, buyer)
            with { FiledAt = DateTimeOffset.UtcNow.AddDays(-4) });

        using var sre = warranty.As(PlatformRoles.Operator, "sre-1");
        await Eventually.Until(async () => (await sre.GetStringAsync("/operations/refusals")).Contains(claimId.ToString(), StringComparison.Ordinal),
            Wait, "the claim is refused");
        var refusals = await sre.GetStringAsync("/operations/refusals");
        Assert.Contains("FiledTooLongAgo", refusals, StringComparison.Ordinal);
        Assert.Contains("within 72 hours", refusals, StringComparison.Ordinal);
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/claims/{claimId}")).StatusCode);
    }

    [Fact]
    public async Task A_claim_open_when_its_line_is_refunded_is_announced_resolved_as_line_refunded()
    {
        var (orderId, buyer, _) = await Phone();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();

        await probe.Publish(new Platform.Contracts.Orders.V1.OrderLineRefunded
        {
            OrderId = orderId, LineId = "line-1", BuyerId = buyer, RefundAmount = 3999m, RefundedAt = DateTimeOffset.UtcNow,
        });

        var resolved = await probe.WaitFor<Contract.ClaimResolved>(m => m.ClaimId == claim.ClaimId, Wait, "the refund closes the claim");
        Assert.Equal((Contract.ClaimResolution.LineRefunded, orderId, (Guid?)null), (resolved.Resolution, resolved.OrderId, resolved.CaseId));
        var view = await (await client.GetAsync($"/claims/{claim.ClaimId}")).Read<ClaimView>();
        Assert.Equal((ClaimStatus.Resolved, "LineRefunded"), (view.Status, view.Resolution));
    }

    [Fact]
    public async Task A_merchant_refusal_lets_the_buyer_escalate_to_arbitration_and_the_ruling_resolves_the_claim()
    {
        var (orderId, buyer, merchant) = await Shirt();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        using var shop = warranty.As(PlatformRoles.Merchant, merchant);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "NotAsDescribed", "Return"))).Read<ClaimView>();
        var waiting = await probe.WaitFor<Contract.ClaimAwaitingMerchant>(m => m.ClaimId == claim.ClaimId, Wait, "the claim waits for the merchant");
        Assert.Equal((Contract.CoverageKind.StatutoryReturn, merchant, claim.FiledAt.AddHours(48)), (waiting.Coverage, waiting.MerchantId, waiting.RespondBy));

        var early = await (await client.PostAsJsonAsync($"/claims/{claim.ClaimId}/escalate", new { statement = "too soon" })).Problem(409);
        Assert.Contains("AwaitingMerchant", early.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var refused = await (await shop.PostAsJsonAsync($"/claims/{claim.ClaimId}/refuse",
            new { reason = "The colour matches the listing photo.", evidenceLinks = new[] { "https://evidence.example/listing.png" } })).Read<ClaimView>();
        Assert.Equal(ClaimStatus.RefusedByMerchant, refused.Status);
        await probe.WaitFor<Contract.ClaimRefusedByMerchant>(m => m.ClaimId == claim.ClaimId, Wait, "the refusal is announced");

        var escalatedView = await (await client.PostAsJsonAsync($"/claims/{claim.ClaimId}/escalate",
            new { statement = "It is red, the listing says orange.", evidenceLinks = new[] { "https://evidence.example/red.jpg" } })).Read<ClaimView>();
        var escalated = await probe.WaitFor<Contract.ClaimEscalated>(m => m.ClaimId == claim.ClaimId, Wait, "the claim goes to arbitration");
        Assert.Equal(ClaimStatus.Escalated, escalatedView.Status);
        Assert.Equal(("The colour matches the listing photo.", "It is red, the listing says orange.", Contract.Remedy.Return, merchant, "sku-line-1"),
            (escalated.MerchantReason, escalated.Statement, escalated.RemedyGranted, escalated.MerchantId, escalated.Sku));
        Assert.Equal([new Uri("https://evidence.example/red.jpg")], escalated.EvidenceLinks);

        var caseId = Guid.NewGuid();
        await probe.Publish(Ruling(caseId, orderId, "line-1", claim.ClaimId, buyer, merchant, CaseParty.Buyer, RulingRemedy.Replacement));
        var resolved = await probe.WaitFor<Contract.ClaimResolved>(m => m.ClaimId == claim.ClaimId, Wait, "the ruling resolves the claim");
        Assert.Equal((Contract.ClaimResolution.RuledForBuyer, caseId), (resolved.Resolution, resolved.CaseId));
        var view = await (await client.GetAsync($"/claims/{claim.ClaimId}")).Read<ClaimView>();
        Assert.Equal((ClaimStatus.Resolved, "RuledForBuyer"), (view.Status, view.Resolution));
        Assert.Equal(["ClaimApproved", "ClaimAwaitingMerchant", "ClaimRefusedByMerchant", "ClaimEscalated", "ClaimResolved"], view.History.Select(h => h.Event));
        Assert.Equal(caseId.ToString(), view.History[^1].CaseId);
    }

    [Fact]
    public async Task The_merchant_accepts_a_return_and_resolves_the_claim_when_it_takes_the_item_back()
    {
        var (orderId, buyer, merchant) = await Shirt();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        using var shop = warranty.As(PlatformRoles.Merchant, merchant);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "DeadOnArrival", "Return"))).Read<ClaimView>();

        var accepted = await (await shop.PostAsync($"/claims/{claim.ClaimId}/accept", null)).Read<ClaimView>();
        var announced = await probe.WaitFor<Contract.ClaimAcceptedByMerchant>(m => m.ClaimId == claim.ClaimId, Wait, "the acceptance is announced");
        var notARepair = await (await shop.PostAsJsonAsync($"/claims/{claim.ClaimId}/repair-completed", new { outcome = "Repaired" })).Problem(409);
        var settled = await (await shop.PostAsync($"/claims/{claim.ClaimId}/return-accepted", null)).Read<ClaimView>();

        Assert.Equal((ClaimStatus.InService, false, Contract.Remedy.Return), (accepted.Status, announced.BySilence, announced.RemedyGranted));
        Assert.Equal("ResolutionNotAllowed", notARepair.GetProperty("code").GetString());
        var resolved = await probe.WaitFor<Contract.ClaimResolved>(m => m.ClaimId == claim.ClaimId, Wait, "the return resolves the claim");
        Assert.Equal((ClaimStatus.Resolved, Contract.ClaimResolution.AcceptedByMerchant), (settled.Status, resolved.Resolution));
    }

    [Fact]
    public async Task A_finished_repair_job_resolves_the_brand_answered_claim()
    {
        var (orderId, buyer, merchant) = await Phone();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();
        using var shop = warranty.As(PlatformRoles.Merchant, merchant);
        var notTheMerchants = await (await shop.PostAsJsonAsync($"/claims/{claim.ClaimId}/repair-completed", new { outcome = "Repaired" })).Problem(409);
        Assert.Equal("RepairedByProvider", notTheMerchants.GetProperty("code").GetString());

        var jobId = Guid.NewGuid();
        await probe.Publish(new RepairJobCompleted
        {
            JobId = jobId,
            Attempt = 1,
            ProviderId = "provider-1",
            OrderId = orderId,
            LineId = "line-1",
            ClaimId = claim.ClaimId,
            Outcome = Platform.Contracts.Repair.V1.RepairOutcome.Repaired,
            Report = "Replaced the display connector.",
            CompletedAt = DateTimeOffset.UtcNow,
        });

        var resolved = await probe.WaitFor<Contract.ClaimResolved>(m => m.ClaimId == claim.ClaimId, Wait, "the repair resolves the claim");
        Assert.Equal((Contract.ClaimResolution.Repaired, jobId), (resolved.Resolution, resolved.JobId));
        var view = await (await client.GetAsync($"/claims/{claim.ClaimId}")).Read<ClaimView>();
        Assert.Equal((ClaimStatus.Resolved, "Repaired", jobId), (view.Status, view.Resolution, view.History[^1].JobId));
    }

    [Fact]
    public async Task Claims_decided_are_counted_by_outcome_and_rejection_reason()
    {
        var factory = warranty.Services.GetRequiredService<IMeterFactory>();
        var measured = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == WarrantyMetrics.ClaimsDecidedName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            measured.Enqueue(string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")) + $":{value}"));
        listener.Start();
        var (orderId, buyer, _) = await Phone();
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();
        await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();

        Assert.Equal(["outcome=approved:1", "outcome=rejected,reason=ClaimAlreadyOpen:1"], measured);
    }

    internal static Contract.ClaimFiled ClaimFiled(Guid claimId, string orderId, string lineId, string claimantId, Contract.RequesterRole role, string buyerId) => new()
    {
        ClaimId = claimId,
        OrderId = orderId,
        LineId = lineId,
        ClaimantId = claimantId,
        ClaimantRole = role,
        BuyerId = buyerId,
        Fault = Contract.FaultKind.QualityFault,
        FaultDescription = "It will not charge.",
        RemedyAsked = Contract.Remedy.Repair,
        EvidenceLinks = [new Uri("https://evidence.example/charger.jpg")],
        FiledAt = DateTimeOffset.UtcNow,
    };

    internal static RulingIssued Ruling(Guid caseId, string orderId, string lineId, Guid? claimId, string buyer, string merchant, CaseParty inFavourOf, RulingRemedy? remedy) => new()
    {
        CaseId = caseId,
        Origin = claimId is null ? CaseOrigin.ReopenDenialAppealed : CaseOrigin.ClaimEscalated,
        OrderId = orderId,
        LineId = lineId,
        ClaimId = claimId,
        BuyerId = buyer,
        Respondent = RespondentKind.Merchant,
        RespondentId = merchant,
        InFavourOf = inFavourOf,
        Remedy = remedy,
        Rationale = "The photos show the defect.",
        DefaultRuling = false,
        ArbitratorId = "arbitrator-1",
        ShippingRegion = "31",
        Sku = $"sku-{lineId}",
        Title = $"Product of {lineId}",
        Category = "clothing",
        Brand = "Huawei",
        FaultDescription = "Not as described.",
        RuledAt = DateTimeOffset.UtcNow,
    };
}
