using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Domain;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>Under a clock 100,000 times faster than real time, the merchant's 48 hours pass in under two seconds.</summary>
public sealed class SilenceTests() : WarrantyServiceTest(clockSpeed: 100_000)
{
    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
        await probe.Observe<Contract.ClaimAwaitingMerchant>();
        await probe.Observe<Contract.ClaimAcceptedByMerchant>();
    }

    [Fact]
    public async Task A_merchant_that_stays_silent_past_its_deadline_accepts_the_claim()
    {
        var (orderId, buyer) = (Id("order"), Id("buyer"));
        // A month after d0, under a year's merchant commitment on clothing: the merchant answers the repair, and
        // 售后保 holds the entry open while the commitment runs.
        await Complete(probe, Order(orderId, buyer, Id("merchant"), env.TimeProvider.GetUtcNow().AddDays(-30),
            Line("line-1", "clothing", nationalMonths: 0, merchantMonths: 12)));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var claim = await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();
        var waiting = await probe.WaitFor<Contract.ClaimAwaitingMerchant>(m => m.ClaimId == claim.ClaimId, Wait, "the claim waits for the merchant");
        var accepted = await probe.WaitFor<Contract.ClaimAcceptedByMerchant>(m => m.ClaimId == claim.ClaimId, Wait, "silence accepts the claim");

        Assert.Equal(Contract.CoverageKind.MerchantCommitment, waiting.Coverage);
        Assert.Equal((true, waiting.RespondBy, Contract.Remedy.Repair), (accepted.BySilence, accepted.AcceptedAt, accepted.RemedyGranted));
        Assert.True(env.TimeProvider.GetUtcNow() >= waiting.RespondBy);
        var view = await (await client.GetAsync($"/claims/{claim.ClaimId}")).Read<ClaimView>();
        Assert.Equal(ClaimStatus.InService, view.Status);
        Assert.Equal(true, view.History.Single(h => h.Event == "ClaimAcceptedByMerchant").BySilence);
    }
}
