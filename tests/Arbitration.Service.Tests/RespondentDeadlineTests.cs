using System.Net;
using Arbitration.Domain;
using Arbitration.Service.Cases;
using Arbitration.Service.Views;
using Platform.Contracts.Arbitration.V1;
using Platform.Testing;

namespace Arbitration.Service.Tests;

/// <summary>
/// From a merchant's refusal to a ruling, on a clock 40,000 times real time: the 72-hour respondent
/// deadline passes in about 6.5 seconds.
/// </summary>
public sealed class RespondentDeadlineTests(CompressedClockHost host) : ArbitrationTests<CompressedClockHost>(host)
{
    private static readonly TimeSpan RespondentDeadline = TimeSpan.FromHours(72);

    [Fact]
    public async Task A_merchant_silent_until_the_deadline_loses_by_default_and_the_ruling_carries_the_claim()
    {
        using var metrics = new MetricRecorder(Service.Services, ArbitrationMetrics.MeterName);
        var escalated = Messages.ClaimEscalated(remedy: Platform.Contracts.Warranty.V1.Remedy.Replacement);
        var caseId = CaseIds.ForClaim(escalated.ClaimId);

        await Probe.Publish(escalated);

        var opened = await Probe.WaitFor<CaseOpened>(m => m.CaseId == caseId, Timeout, "the case is opened");
        Assert.Equal((Platform.Contracts.Arbitration.V1.CaseOrigin.ClaimEscalated, RespondentKind.Merchant, "merchant-a", escalated.ClaimId),
            (opened.Origin, opened.Respondent, opened.RespondentId, opened.ClaimId));
        Assert.Equal(RespondentDeadline, opened.RespondBy - opened.OpenedAt);
        using (var buyer = Service.As("buyer", escalated.BuyerId))
        {
            var view = await Read<CaseView>(await buyer.GetAsync($"/cases/{caseId}"));
            Assert.Equal(escalated.Statement, Assert.Single(view.Evidence).Statement);
            Assert.Contains(view.ArbitratorId, new[] { "arb-1", "arb-2" });
        }

        var ruling = await Probe.WaitFor<RulingIssued>(m => m.CaseId == caseId, Timeout, "the silent merchant loses by default");

        Assert.True(ruling.DefaultRuling);
        Assert.Null(ruling.ArbitratorId);
        Assert.Equal((CaseParty.Buyer, RulingRemedy.Replacement), (ruling.InFavourOf, ruling.Remedy));
        Assert.Equal((escalated.ClaimId, escalated.OrderId, escalated.LineId, escalated.BuyerId, "merchant-a"),
            (ruling.ClaimId, ruling.OrderId, ruling.LineId, ruling.BuyerId, ruling.RespondentId));
        Assert.Equal((escalated.Sku, escalated.Title, escalated.Category, escalated.Brand, escalated.ShippingRegion, escalated.FaultDescription),
            (ruling.Sku, ruling.Title, ruling.Category, ruling.Brand, ruling.ShippingRegion, ruling.FaultDescription));
        Assert.Equal(opened.RespondBy, ruling.RuledAt);
        using (var merchant = Service.As("merchant", "merchant-a"))
        {
            var view = await Read<CaseView>(await merchant.GetAsync($"/cases/{caseId}"));
            Assert.Equal(CaseStatus.Ruled, view.Status);
            Assert.True(view.Ruling!.DefaultRuling);
        }
        Assert.True(metrics.Sum(ArbitrationMetrics.CasesOpenedName, "origin=ClaimEscalated") >= 1, "cases opened are counted by origin");
        Assert.True(metrics.Sum(ArbitrationMetrics.RulingsName, "default=True") >= 1, "default rulings are counted");
    }

    [Fact]
    public async Task A_merchant_answering_in_time_cancels_the_deadline_and_keeps_the_case_for_the_arbitrator_who_then_rules()
    {
        var answered = Messages.ClaimEscalated();
        var answeredId = CaseIds.ForClaim(answered.ClaimId);
        var deadline = CaseEffects.RespondentDeadlineId(answeredId);
        await Probe.Publish(answered);
        using var merchant = Service.As("merchant", "merchant-a");
        // As soon as the case exists, with its deadline: 6.5 seconds away on this clock.
        await Eventually.Until(async () => await ScheduledRows(deadline) == 1, Timeout, "the case opens with its deadline");
        HttpResponseMessage? answer = null;
        await Eventually.Until(async () =>
        {
            answer = await Post(merchant, $"/cases/{answeredId}/evidence",
                new { statement = "The kettle was dropped; see the dent.", links = new[] { "https://evidence.example/dent.jpg" } });
            return answer.StatusCode != HttpStatusCode.NotFound;
        }, Timeout, "the merchant answers the case");
        Assert.Equal(CaseStatus.AwaitingRuling, (await Read<CaseView>(answer!)).Status);
        Assert.Equal(0L, await ScheduledRows(deadline));

        // A silent case opened after it has a later deadline: its default ruling is the witness
        // that the answered case's deadline has passed too.
        var silent = Messages.ClaimEscalated();
        await Probe.Publish(silent);
        await Probe.WaitFor<RulingIssued>(m => m.CaseId == CaseIds.ForClaim(silent.ClaimId), Timeout, "the later, silent case is ruled by default");
        using var arbitratorReader = Service.As("arbitrator", "arb-reader");
        var waiting = await Read<CaseView>(await arbitratorReader.GetAsync($"/cases/{answeredId}"));
        Assert.Null(waiting.Ruling);
        Assert.True(waiting.RespondBy < (await Read<CaseView>(await arbitratorReader.GetAsync($"/cases/{CaseIds.ForClaim(silent.ClaimId)}"))).RespondBy);

        using var arbitrator = Service.As("arbitrator", waiting.ArbitratorId!);
        var ruled = await Read<CaseView>(await Post(arbitrator, $"/cases/{answeredId}/ruling",
            new { inFavourOf = "Buyer", remedy = "Compensation", amount = 50.5m, rationale = "The dent came from the courier, not the buyer." }));

        Assert.Equal(CaseStatus.Ruled, ruled.Status);
        var ruling = await Probe.WaitFor<RulingIssued>(m => m.CaseId == answeredId, Timeout, "the arbitrator's ruling is published");
        Assert.False(ruling.DefaultRuling);
        Assert.Equal((waiting.ArbitratorId, RulingRemedy.Compensation, 50.5m), (ruling.ArbitratorId, ruling.Remedy, ruling.Amount));
        Assert.Single(Probe.Received<RulingIssued>(), o => o.Message.CaseId == answeredId);
    }

    private async Task<long> ScheduledRows(Guid id) =>
        await (await Env.Database(ArbitrationService.Name)).Scalar<long>("select count(*) from outbox where scheduled and id = $1", id);
}
