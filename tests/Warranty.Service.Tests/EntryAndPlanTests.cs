using System.Net;
using System.Net.Http.Json;
using Platform.Contracts.Arbitration.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Service.Features.ReopenEntry;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>The after-sales entry's reopening, and the extended warranty's cancellation.</summary>
public sealed class EntryAndPlanTests : WarrantyServiceTest
{
    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
        await probe.Observe<Contract.EntryReopened>();
        await probe.Observe<Contract.ReopenDenied>();
        await probe.Observe<Contract.ClaimApproved>();
        await probe.Observe<Contract.ExtendedWarrantyCancelled>();
    }

    private async Task<(string OrderId, string Buyer)> Completed(DateTimeOffset completedAt, Platform.Contracts.Orders.V1.CompletedOrderLine line)
    {
        var (orderId, buyer) = (Id("order"), Id("buyer"));
        await Complete(probe, Order(orderId, buyer, Id("merchant"), completedAt, line));
        return (orderId, buyer);
    }

    private static Task<HttpResponseMessage> Reopen(HttpClient client, string orderId, string fault, Guid? key = null, string? buyerId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/warranties/{orderId}/line-1/reopen")
        {
            Content = JsonContent.Create(new { buyerId, fault, faultDescription = "Not one seed has sprouted after eight weeks." }),
        };
        if (key is { } id)
        {
            request.Headers.Add("Idempotency-Key", id.ToString());
        }
        return client.SendAsync(request);
    }

    [Fact]
    public async Task Seeds_that_never_sprouted_reopen_the_closed_entry_and_the_claim_then_goes_through()
    {
        // Sixty days after d0: the seeds' 15-day entry is closed, their 365-day long-discovery window is not.
        var (orderId, buyer) = await Completed(DateTimeOffset.UtcNow.AddDays(-60), Line("line-1", "seeds", nationalMonths: 0));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var closed = await (await client.FileClaim(Claim(orderId, "line-1", "LongDiscoveryDefect", "Return"))).Read<ClaimView>();
        Assert.Equal((Contract.ClaimRejectionReason.EntryClosed, true), (closed.Rejection!.Reason, closed.Rejection.ReopenRequestMayHelp));

        var answer = await (await Reopen(client, orderId, "LongDiscoveryDefect")).Read<ReopenAnswer>();

        var today = ShanghaiDate(DateTimeOffset.UtcNow);
        Assert.Equal((ReopenAnswer.Reopened, Contract.ReopenGround.LongDiscoveryDefect), (answer.Outcome, answer.Ground));
        Assert.Equal((today, today.AddDays(15)), (answer.Window!.FirstDay, answer.Window.LastDay));
        var reopened = await probe.WaitFor<Contract.EntryReopened>(m => m.RequestId == answer.RequestId, Wait, "the reopening is announced");
        Assert.Equal((Contract.RequesterRole.Buyer, buyer, answer.Window.LastDay), (reopened.RequestedByRole, reopened.RequestedById, reopened.Window.LastDay));
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "LongDiscoveryDefect", "Return"))).Read<ClaimView>();
        Assert.Equal((Contract.Remedy.Return, Contract.ResponsibleParty.Merchant), (claim.Approval!.RemedyGranted, claim.Approval.AnsweredBy));
        var stillOpen = await (await Reopen(client, orderId, "LongDiscoveryDefect")).Problem(409);
        Assert.Equal("EntryStillOpen", stillOpen.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_reopen_past_every_period_is_denied_with_its_reason_and_a_retry_gets_the_same_answer()
    {
        var (orderId, buyer) = await Completed(DateTimeOffset.UtcNow.AddDays(-60), Line("line-1", "clothing", nationalMonths: 0));
        using var agent = warranty.As(PlatformRoles.CustomerService, "cs-agent-3");
        var key = Guid.NewGuid();

        var answer = await (await Reopen(agent, orderId, "QualityFault", key, buyer)).Read<ReopenAnswer>();
        var retried = await (await Reopen(agent, orderId, "QualityFault", key, buyer)).Read<ReopenAnswer>();

        Assert.Equal((key, ReopenAnswer.Denied, Contract.ReopenDenialReason.OutsideReopenablePeriods, true),
            (answer.RequestId, answer.Outcome, answer.Reason, answer.AppealMayHelp));
        Assert.Equal(answer, retried);
        var denied = await probe.WaitFor<Contract.ReopenDenied>(m => m.RequestId == key, Wait, "the denial is announced");
        Assert.Equal((Contract.ReopenDenialReason.OutsideReopenablePeriods, Contract.RequesterRole.CustomerService, "cs-agent-3", buyer, "clothing"),
            (denied.Reason, denied.RequestedByRole, denied.RequestedById, denied.BuyerId, denied.Category));
    }

    [Fact]
    public async Task In_a_long_discovery_category_another_kind_of_fault_is_denied_as_not_long_discovery()
    {
        var (orderId, buyer) = await Completed(DateTimeOffset.UtcNow.AddDays(-60), Line("line-1", "live-animals", nationalMonths: 0));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var answer = await (await Reopen(client, orderId, "QualityFault")).Read<ReopenAnswer>();

        Assert.Equal((ReopenAnswer.Denied, Contract.ReopenDenialReason.NotLongDiscoveryDefect), (answer.Outcome, answer.Reason));
    }

    [Fact]
    public async Task A_ruling_on_an_appealed_denial_reopens_the_entry_announcing_the_ruling_as_its_cause_and_the_next_claim_goes_through()
    {
        var (orderId, buyer) = await Completed(DateTimeOffset.UtcNow.AddDays(-60), Line("line-1", "seeds", nationalMonths: 0));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var denial = await (await Reopen(client, orderId, "QualityFault")).Read<ReopenAnswer>();
        Assert.Equal((ReopenAnswer.Denied, true), (denial.Outcome, denial.AppealMayHelp));
        var caseId = Guid.NewGuid();

        await probe.Publish(ClaimTests.Ruling(caseId, orderId, "line-1", claimId: null, buyer, "merchant", CaseParty.Buyer, RulingRemedy.ReopenEntry)
            with { ReopenRequestId = denial.RequestId });

        var reopened = await probe.WaitFor<Contract.EntryReopened>(m => m.OrderId == orderId, Wait, "the reopening by the ruling is announced");
        var today = ShanghaiDate(DateTimeOffset.UtcNow);
        Assert.Equal((Contract.ReopenGround.ArbitrationRuling, caseId, denial.RequestId, buyer, Contract.FaultKind.QualityFault, today.AddDays(15)),
            (reopened.Ground, reopened.CaseId, reopened.RequestId, reopened.RequestedById, reopened.Fault, reopened.Window.LastDay));
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "LongDiscoveryDefect", "Return"))).Read<ClaimView>();
        Assert.Equal((Contract.Remedy.Return, Contract.ResponsibleParty.Merchant), (claim.Approval!.RemedyGranted, claim.Approval.AnsweredBy));
    }

    [Fact]
    public async Task A_ruling_that_orders_the_entry_reopened_reopens_it()
    {
        var (orderId, buyer) = await Completed(DateTimeOffset.UtcNow.AddDays(-60), Line("line-1", "clothing", nationalMonths: 0));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        Assert.False((await (await client.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>()).AfterSalesEntry.OpenNow);

        await probe.Publish(ClaimTests.Ruling(Guid.NewGuid(), orderId, "line-1", claimId: null, buyer, "merchant", CaseParty.Buyer, RulingRemedy.ReopenEntry));

        await Eventually.Until(async () => (await (await client.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>()).AfterSalesEntry.OpenNow,
            Wait, "the entry is open again");
        var view = await (await client.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>();
        var today = ShanghaiDate(DateTimeOffset.UtcNow);
        Assert.Equal((today, today.AddDays(15)), (view.AfterSalesEntry.Reopenings.Single().FirstDay, view.AfterSalesEntry.Reopenings.Single().LastDay));
    }

    [Fact]
    public async Task A_plan_cancelled_before_it_starts_is_refunded_in_full_once()
    {
        var (orderId, buyer) = await Completed(DateTimeOffset.UtcNow.AddDays(-10), Line("line-1", "phones", nationalMonths: 12, plan: Plan(2, 300m)));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var plan = await (await client.PostAsync($"/warranties/{orderId}/line-1/extended-warranty/cancel", null)).Read<ExtendedWarrantyView>();
        var again = await (await client.PostAsync($"/warranties/{orderId}/line-1/extended-warranty/cancel", null)).Read<ExtendedWarrantyView>();

        Assert.Equal((300m, Contract.RefundBasis.FullBeforeCoverageStart), (plan.Cancellation!.RefundAmount, plan.Cancellation.RefundBasis));
        Assert.Equal(plan.Cancellation, again.Cancellation);
        var cancelled = await probe.WaitFor<Contract.ExtendedWarrantyCancelled>(m => m.OrderId == orderId, Wait, "the cancellation is announced");
        Assert.Equal((Contract.ExtendedWarrantyCancellationReason.RequestedByBuyer, 300m, 300m), (cancelled.Reason, cancelled.PricePaid, cancelled.RefundAmount));
        var view = await (await client.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>();
        Assert.DoesNotContain(view.Coverages, c => c.Kind == Contract.CoverageKind.ExtendedWarranty);
    }

    [Fact]
    public async Task A_plan_cancelled_after_it_starts_refunds_the_share_of_days_remaining()
    {
        // Clothing has no 三包 repair and the line no national warranty: the plan starts the day after d0.
        var completedAt = DateTimeOffset.UtcNow.AddDays(-100);
        var (orderId, buyer) = await Completed(completedAt, Line("line-1", "clothing", nationalMonths: 0, plan: Plan(1, 365m)));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var before = ShanghaiDate(DateTimeOffset.UtcNow);
        var plan = await (await client.PostAsync($"/warranties/{orderId}/line-1/extended-warranty/cancel", null)).Read<ExtendedWarrantyView>();
        var after = ShanghaiDate(DateTimeOffset.UtcNow);

        var first = ShanghaiDate(completedAt).AddDays(1);
        var last = first.AddYears(1).AddDays(-1);
        var total = last.DayNumber - first.DayNumber + 1;
        decimal Refund(DateOnly today) => Math.Round(365m * (last.DayNumber - today.DayNumber) / total, 2, MidpointRounding.AwayFromZero);
        Assert.Equal(Contract.RefundBasis.ProRataRemainingDays, plan.Cancellation!.RefundBasis);
        Assert.Contains(plan.Cancellation.RefundAmount, new[] { Refund(before), Refund(after) });
        Assert.Equal(total, plan.Cancellation.TotalDays);
        var cancelled = await probe.WaitFor<Contract.ExtendedWarrantyCancelled>(m => m.OrderId == orderId, Wait, "the cancellation is announced");
        Assert.Equal(plan.Cancellation.RefundAmount, cancelled.RefundAmount);
    }

    [Fact]
    public async Task A_line_without_a_plan_has_nothing_to_cancel()
    {
        var (orderId, buyer) = await Completed(DateTimeOffset.UtcNow.AddDays(-10), Line("line-1"));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var problem = await (await client.PostAsync($"/warranties/{orderId}/line-1/extended-warranty/cancel", null)).Problem(409);

        Assert.Equal("NoExtendedWarranty", problem.GetProperty("code").GetString());
    }
}
