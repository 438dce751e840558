using System.Net;
using System.Text;
using Arbitration.Domain;
using Arbitration.Service.Cases;
using Arbitration.Service.ReadModels;
using Arbitration.Service.Views;
using Platform.Contracts.Arbitration.V1;
using Platform.Testing;

namespace Arbitration.Service.Tests;

/// <summary>Cases, evidence and rulings on a real-time clock: no respondent deadline passes during a test.</summary>
public sealed class CaseFlowTests(RealTimeHost host) : ArbitrationTests<RealTimeHost>(host)
{
    private async Task<(Platform.Contracts.Warranty.V1.ClaimEscalated Escalated, Guid CaseId, CaseView View)> EscalatedCase(string merchantId = "merchant-a")
    {
        var escalated = Messages.ClaimEscalated(merchantId);
        await Probe.Publish(escalated);
        var caseId = CaseIds.ForClaim(escalated.ClaimId);
        return (escalated, caseId, await CaseOpened(caseId));
    }

    [Fact]
    public async Task Only_an_arbitrator_rules_and_a_ruling_is_final()
    {
        var (_, caseId, view) = await EscalatedCase();
        using var merchant = Service.As("merchant", "merchant-a");
        using var arbitrator = Service.As("arbitrator", view.ArbitratorId!);
        var forRespondent = new { inFavourOf = "Respondent", rationale = "The photos show a dent from a fall." };

        var early = await Problem(await Post(arbitrator, $"/cases/{caseId}/ruling", forRespondent), HttpStatusCode.Conflict);
        Assert.Equal(nameof(CaseRefusalCode.RespondentStillHasTime), early.GetProperty("code").GetString());
        await Read<CaseView>(await Post(merchant, $"/cases/{caseId}/evidence", new { statement = "It was dropped.", links = Array.Empty<string>() }));

        foreach (var role in new[] { "buyer", "merchant", "operator", "customer-service", "provider" })
        {
            using var other = Service.As(role, role == "merchant" ? "merchant-a" : $"{role}-1");
            await Problem(await Post(other, $"/cases/{caseId}/ruling", forRespondent), HttpStatusCode.Forbidden);
        }
        var otherArbitrator = view.ArbitratorId == "arb-1" ? "arb-2" : "arb-1";
        using (var notAssigned = Service.As("arbitrator", otherArbitrator))
        {
            await Problem(await Post(notAssigned, $"/cases/{caseId}/ruling", forRespondent), HttpStatusCode.Forbidden);
        }

        var ruled = await Read<CaseView>(await Post(arbitrator, $"/cases/{caseId}/ruling", forRespondent));
        Assert.Equal(CaseParty.Respondent, ruled.Ruling!.InFavourOf);
        var again = await Post(arbitrator, $"/cases/{caseId}/ruling", forRespondent);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await Problem(await Post(arbitrator, $"/cases/{caseId}/ruling",
            new { inFavourOf = "Buyer", remedy = "Refund", rationale = "On reflection, a factory defect." }), HttpStatusCode.Conflict);
        Assert.Equal(nameof(CaseRefusalCode.CaseAlreadyRuled), second.GetProperty("code").GetString());

        var ruling = await Probe.WaitFor<RulingIssued>(m => m.CaseId == caseId, Timeout, "the ruling is published");
        Assert.Equal((CaseParty.Respondent, (RulingRemedy?)null, false), (ruling.InFavourOf, ruling.Remedy, ruling.DefaultRuling));
        // The retried ruling changed nothing; a later case's ruling proves the relay has caught up.
        var (_, witnessId, witness) = await EscalatedCase();
        using (var witnessMerchant = Service.As("merchant", "merchant-a"))
        {
            await Read<CaseView>(await Post(witnessMerchant, $"/cases/{witnessId}/evidence", new { statement = "No comment." }));
        }
        using (var witnessArbitrator = Service.As("arbitrator", witness.ArbitratorId!))
        {
            await Read<CaseView>(await Post(witnessArbitrator, $"/cases/{witnessId}/ruling", forRespondent));
        }
        await Probe.WaitFor<RulingIssued>(m => m.CaseId == witnessId, Timeout, "the witness case is ruled");
        Assert.Single(Probe.Received<RulingIssued>(), o => o.Message.CaseId == caseId);
    }

    [Fact]
    public async Task An_escalated_repair_job_is_answered_by_repair_operations_and_ruled_a_repair_at_the_platforms_cost()
    {
        var escalated = Messages.RepairJobEscalated();
        var caseId = CaseIds.ForRepairJob(escalated.JobId);

        await Probe.Publish(escalated);

        var opened = await Probe.WaitFor<CaseOpened>(m => m.CaseId == caseId, Timeout, "the case is opened");
        Assert.Equal((Platform.Contracts.Arbitration.V1.CaseOrigin.RepairJobEscalated, RespondentKind.PlatformRepairOperations, (string?)null, escalated.JobId),
            (opened.Origin, opened.Respondent, opened.RespondentId, opened.JobId));
        using var merchant = Service.As("merchant", "merchant-a");
        await Problem(await merchant.GetAsync($"/cases/{caseId}"), HttpStatusCode.NotFound);
        using var repairOperations = Service.As("operator", "ops-3");
        var answered = await Read<CaseView>(await Post(repairOperations, $"/cases/{caseId}/evidence",
            new { statement = "No provider in the region had capacity.", links = new[] { "https://ops.example/dispatch-log/1" } }));
        Assert.Equal(CaseStatus.AwaitingRuling, answered.Status);
        var submitted = await Probe.WaitFor<EvidenceSubmitted>(m => m.CaseId == caseId, Timeout, "the answer is published");
        Assert.Equal((CaseParty.Respondent, "ops-3"), (submitted.SubmittedBy, submitted.SubmitterId));

        using var arbitrator = Service.As("arbitrator", answered.ArbitratorId!);
        await Read<CaseView>(await Post(arbitrator, $"/cases/{caseId}/ruling",
            new { inFavourOf = "Buyer", remedy = "RepairAtPlatformCost", rationale = "The platform guarantees the repair." }));

        var ruling = await Probe.WaitFor<RulingIssued>(m => m.CaseId == caseId, Timeout, "the ruling is published");
        Assert.Equal((CaseParty.Buyer, RulingRemedy.RepairAtPlatformCost, false, answered.ArbitratorId), (ruling.InFavourOf, ruling.Remedy, ruling.DefaultRuling, ruling.ArbitratorId));
        Assert.Equal((escalated.JobId, escalated.ClaimId, escalated.OrderId, escalated.LineId, escalated.BuyerId, RespondentKind.PlatformRepairOperations),
            (ruling.JobId, ruling.ClaimId, ruling.OrderId, ruling.LineId, ruling.BuyerId, ruling.Respondent));
        Assert.Equal((escalated.Sku, escalated.Category, escalated.Brand, escalated.ShippingRegion), (ruling.Sku, ruling.Category, ruling.Brand, ruling.ShippingRegion));
    }

    [Fact]
    public async Task A_buyer_appeals_its_own_rejected_claim_and_nobody_else_can()
    {
        var rejected = Messages.ClaimRejected();
        var caseId = CaseIds.ForClaim(rejected.ClaimId);
        var appeal = new { subject = "ClaimRejected", claimId = rejected.ClaimId, statement = "The seeds were sown as the packet says.", links = new[] { "https://evidence.example/tray.jpg" } };
        using var buyer = Service.As("buyer", rejected.BuyerId);
        using var anotherBuyer = Service.As("buyer", "buyer-other");
        await Problem(await Post(buyer, "/appeals", appeal), HttpStatusCode.NotFound);

        await Probe.Publish(rejected);

        HttpResponseMessage filed = null!;
        await Eventually.Until(async () => (filed = await Post(buyer, "/appeals", appeal)).StatusCode != HttpStatusCode.NotFound,
            Timeout, "the rejection is known and the appeal filed");
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        Assert.Equal($"/cases/{caseId}", filed.Headers.Location?.OriginalString);
        var view = await Read<CaseView>(filed);
        Assert.Equal((Platform.Contracts.Arbitration.V1.CaseOrigin.ClaimRejectionAppealed, RespondentKind.Merchant, "merchant-a", "OutOfWarranty"),
            (view.Origin, view.Respondent, view.RespondentId, view.AppealedReason));
        Assert.Equal((rejected.OrderId, rejected.LineId, rejected.Sku), (view.OrderId, view.LineId, view.Item.Sku));
        Assert.Equal(appeal.statement, Assert.Single(view.Evidence).Statement);
        var opened = await Probe.WaitFor<CaseOpened>(m => m.CaseId == caseId, Timeout, "the case is published");
        Assert.Equal(rejected.ClaimId, opened.ClaimId);

        Assert.Equal(HttpStatusCode.OK, (await Post(buyer, "/appeals", appeal)).StatusCode);
        var different = await Problem(await Post(buyer, "/appeals", appeal with { statement = "Something else." }), HttpStatusCode.Conflict);
        Assert.Equal(caseId, different.GetProperty("caseId").GetGuid());
        var stranger = await Problem(await Post(anotherBuyer, "/appeals", appeal), HttpStatusCode.NotFound);
        Assert.DoesNotContain(rejected.BuyerId, stranger.GetRawText());
        await Problem(await Post(anotherBuyer, "/appeals", appeal with { claimId = Guid.NewGuid() }), HttpStatusCode.NotFound);
        using var merchant = Service.As("merchant", "merchant-a");
        await Problem(await Post(merchant, "/appeals", appeal), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Customer_service_appeals_a_denied_reopen_for_the_buyer_but_not_a_decision_an_appeal_cannot_change()
    {
        var denied = Messages.ReopenDenied();
        var final = Messages.ClaimRejected(appealMayHelp: false);
        await Probe.Publish(denied);
        await Probe.Publish(final);
        using var customerService = Service.As("customer-service", "cs-1");

        HttpResponseMessage filed = null!;
        await Eventually.Until(async () => (filed = await Post(customerService, "/appeals",
                new { subject = "ReopenDenied", reopenRequestId = denied.RequestId, statement = "The buyer could not tell before it grew up." })).StatusCode != HttpStatusCode.NotFound,
            Timeout, "the denial is known and the appeal filed");
        var view = await Read<CaseView>(filed);
        Assert.Equal((Platform.Contracts.Arbitration.V1.CaseOrigin.ReopenDenialAppealed, denied.RequestId, denied.BuyerId),
            (view.Origin, view.ReopenRequestId, view.BuyerId));
        Assert.Equal((CaseParty.Buyer, denied.BuyerId), (view.Evidence[0].SubmittedBy, view.Evidence[0].SubmitterId));

        HttpResponseMessage refused = null!;
        await Eventually.Until(async () => (refused = await Post(customerService, "/appeals",
                new { subject = "ClaimRejected", claimId = final.ClaimId, statement = "Please look again." })).StatusCode != HttpStatusCode.NotFound,
            Timeout, "the final rejection is known");
        Assert.Equal("AppealNotAllowed", (await Problem(refused, HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Merchant_b_cannot_see_or_touch_merchant_as_case()
    {
        var (escalated, caseId, _) = await EscalatedCase("merchant-a");
        using var merchantB = Service.As("merchant", "merchant-b");
        using var strangerBuyer = Service.As("buyer", "buyer-stranger");
        using var repairOperations = Service.As("operator", "ops-3");

        foreach (var client in new[] { merchantB, strangerBuyer, repairOperations })
        {
            var hidden = await Problem(await client.GetAsync($"/cases/{caseId}"), HttpStatusCode.NotFound);
            var absent = await Problem(await client.GetAsync($"/cases/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
            Assert.Equal(absent.GetProperty("title").GetString(), hidden.GetProperty("title").GetString());
            foreach (var secret in new[] { escalated.BuyerId, escalated.OrderId, "merchant-a", escalated.Title })
            {
                Assert.DoesNotContain(secret, hidden.GetRawText());
            }
            var evidence = await Problem(await Post(client, $"/cases/{caseId}/evidence", new { statement = "Let me in." }), HttpStatusCode.NotFound);
            Assert.DoesNotContain(escalated.BuyerId, evidence.GetRawText());
        }
        using var provider = Service.As("provider", "provider-7");
        await Problem(await provider.GetAsync($"/cases/{caseId}"), HttpStatusCode.Forbidden);
        using var customerService = Service.As("customer-service", "cs-1");
        await Problem(await Post(customerService, $"/cases/{caseId}/evidence", new { statement = "For the buyer." }), HttpStatusCode.Forbidden);
        Assert.Equal(caseId, (await Read<CaseView>(await customerService.GetAsync($"/cases/{caseId}"))).CaseId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Service.Anonymous().GetAsync($"/cases/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(Service.Anonymous(), $"/cases/{caseId}/evidence", new { statement = "x" })).StatusCode);

        using var merchantA = Service.As("merchant", "merchant-a");
        var seen = await Read<CaseView>(await merchantA.GetAsync($"/cases/{caseId}"));
        Assert.Equal(escalated.BuyerId, seen.BuyerId);
        Assert.DoesNotContain(caseId, (await ListCases(merchantB, "status=AwaitingRespondent")).Select(c => c.CaseId));
    }

    [Fact]
    public async Task A_redelivered_and_a_resent_escalation_open_one_case()
    {
        var escalated = Messages.ClaimEscalated();
        var caseId = CaseIds.ForClaim(escalated.ClaimId);
        var messageId = Guid.NewGuid();
        var resentId = Guid.NewGuid();

        await Probe.Publish(escalated, messageId);
        await Probe.WaitFor<CaseOpened>(m => m.CaseId == caseId, Timeout, "the case is opened");
        await Probe.Publish(escalated, messageId);
        await Probe.Publish(escalated with { EscalatedAt = DateTimeOffset.UtcNow }, resentId);

        var database = await Env.Database(ArbitrationService.Name);
        await Eventually.Until(async () => await database.Scalar<bool>(
            "select exists (select 1 from inbox where message_id = $1)", resentId), Timeout, "the resent escalation is consumed");
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from outbox where not scheduled") == 0,
            Timeout, "everything the service had to publish is published");
        // Opened, the buyer's statement, the arbitrator: nothing more.
        Assert.Equal(3L, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", CaseStream.StreamId(caseId)));
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from outbox where scheduled and body::jsonb->>'caseId' = $1", caseId.ToString()));
        Assert.Single(Probe.Received<CaseOpened>(), o => o.Message.CaseId == caseId);
        Assert.Single(Probe.Received<EvidenceSubmitted>(), o => o.Message.CaseId == caseId);
        using var arbitrator = Service.As("arbitrator", "arb-1");
        var listed = await ListCases(arbitrator, "status=AwaitingRespondent");
        Assert.Single(listed, row => row.OrderId == escalated.OrderId);
    }

    [Fact]
    public async Task A_new_case_goes_to_the_arbitrator_with_the_fewest_open_cases()
    {
        using var reader = Service.As("arbitrator", "arb-reader");
        async Task<int> OpenCases(string arbitratorId)
        {
            var open = 0;
            foreach (var status in new[] { "AwaitingRespondent", "AwaitingRuling" })
            {
                open += (await ListCases(reader, $"status={status}&arbitrator={arbitratorId}")).Count;
            }
            return open;
        }

        for (var i = 0; i < 3; i++)
        {
            var (one, two) = (await OpenCases("arb-1"), await OpenCases("arb-2"));
            var (_, _, view) = await EscalatedCase();
            Assert.Equal(two < one ? "arb-2" : "arb-1", view.ArbitratorId);
        }
    }

    [Fact]
    public async Task Cases_opened_at_the_same_moment_count_each_other_and_are_shared_between_the_arbitrators()
    {
        var database = await Env.Database(ArbitrationService.Name);
        async Task<long> Difference() => await database.Scalar<long>("""
            select coalesce(sum(case arbitrator_id when 'arb-1' then 1 when 'arb-2' then -1 else 0 end), 0)
            from case_list where ruled_at is null
            """);
        var before = Math.Abs(await Difference());
        const int escalations = 16;
        var escalated = Enumerable.Range(0, escalations).Select(_ => Messages.ClaimEscalated()).ToList();

        // Consumed side by side, escalations that did not count each other would read the same loads and all go to
        // the same arbitrator.
        await Task.WhenAll(escalated.Select(e => Probe.Publish(e)));
        await Task.WhenAll(escalated.Select(e => CaseOpened(CaseIds.ForClaim(e.ClaimId))));

        var after = Math.Abs(await Difference());
        Assert.True(after <= Math.Max(1, before - escalations), $"Open cases of arb-1 and arb-2 differ by {after} after {escalations} openings (by {before} before).");
    }

    [Fact]
    public async Task Bad_input_is_answered_with_a_problem_naming_the_field()
    {
        var (escalated, caseId, view) = await EscalatedCase();
        using var buyer = Service.As("buyer", escalated.BuyerId);
        using var arbitrator = Service.As("arbitrator", view.ArbitratorId!);

        var relative = await Problem(await Post(buyer, $"/cases/{caseId}/evidence", new { statement = "See photo.", links = new[] { "photo.jpg" } }), HttpStatusCode.BadRequest);
        Assert.True(relative.GetProperty("errors").TryGetProperty("links[0]", out _), relative.GetRawText());
        var blank = await Problem(await Post(buyer, $"/cases/{caseId}/evidence", new { statement = " " }), HttpStatusCode.BadRequest);
        Assert.True(blank.GetProperty("errors").TryGetProperty("statement", out _), blank.GetRawText());
        using (var malformed = new StringContent("{\"statement\": ", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await buyer.PostAsync($"/cases/{caseId}/evidence", malformed)).StatusCode);
        }
        foreach (var (ruling, field) in new (object, string)[]
        {
            (new { inFavourOf = "Buyer", remedy = "Refund", amount = 10m, rationale = "r" }, "amount"),
            (new { inFavourOf = "Buyer", remedy = "Compensation", amount = 0m, rationale = "r" }, "amount"),
            (new { inFavourOf = "Buyer", remedy = "Compensation", amount = 1.234m, rationale = "r" }, "amount"),
            (new { inFavourOf = "Buyer", remedy = "Cash", rationale = "r" }, "remedy"),
            (new { inFavourOf = "Buyer", rationale = "r" }, "remedy"),
            (new { inFavourOf = "Respondent", remedy = "Refund", rationale = "r" }, "remedy"),
            (new { inFavourOf = "0", rationale = "r" }, "inFavourOf"),
            (new { inFavourOf = "Buyer", remedy = "Refund", rationale = "" }, "rationale"),
        })
        {
            var problem = await Problem(await Post(arbitrator, $"/cases/{caseId}/ruling", ruling), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        }
        var appeal = await Problem(await Post(buyer, "/appeals", new { subject = "ClaimRejected", reopenRequestId = Guid.NewGuid(), statement = "s" }), HttpStatusCode.BadRequest);
        Assert.True(appeal.GetProperty("errors").TryGetProperty("claimId", out _), appeal.GetRawText());
        await Problem(await arbitrator.GetAsync("/cases?status=Closed"), HttpStatusCode.BadRequest);
        Assert.Equal(CaseStatus.AwaitingRespondent, (await Read<CaseView>(await buyer.GetAsync($"/cases/{caseId}"))).Status);
    }

    [Fact]
    public async Task An_escalation_missing_what_a_case_needs_is_refused_once_and_kept_for_operators()
    {
        var incomplete = Messages.ClaimEscalated() with { Title = " " };

        await Probe.Publish(incomplete);

        using var operatorClient = Service.As("operator", "ops-1");
        await Eventually.Until(async () =>
        {
            var refusals = await operatorClient.GetStringAsync("/operations/refusals");
            return refusals.Contains(incomplete.OrderId, StringComparison.Ordinal) && refusals.Contains("product title is missing", StringComparison.Ordinal);
        }, Timeout, "the escalation is refused with its reason");
        using var arbitrator = Service.As("arbitrator", "arb-1");
        await Problem(await arbitrator.GetAsync($"/cases/{CaseIds.ForClaim(incomplete.ClaimId)}"), HttpStatusCode.NotFound);
    }
}
