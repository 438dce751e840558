using Platform.ServiceDefaults;
using Platform.Testing;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>
/// How far ahead of the service's clock a claim filed elsewhere may say it was filed is a setting
/// (Warranty__FiledAtClockSkewMinutes, 5 by default): here an hour, so a filing 30 minutes ahead, which the
/// default refuses, is adjudicated, and one 90 minutes ahead is still refused.
/// </summary>
public sealed class ClockSkewTests : WarrantyServiceTest
{
    protected override string[] Settings => ["--Warranty:FiledAtClockSkewMinutes=60"];

    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
        await probe.Observe<Contract.ClaimApproved>();
    }

    [Fact]
    public async Task A_filing_time_ahead_of_the_clock_is_accepted_within_the_configured_skew_and_refused_beyond_it()
    {
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-30), Line("line-1"), Line("line-2")));
        var (within, beyond) = (Guid.NewGuid(), Guid.NewGuid());

        await probe.Publish(ClaimTests.ClaimFiled(beyond, orderId, "line-2", "cs-system-agent", Contract.RequesterRole.CustomerService, buyer)
            with { FiledAt = DateTimeOffset.UtcNow.AddMinutes(90) });
        await probe.Publish(ClaimTests.ClaimFiled(within, orderId, "line-1", "cs-system-agent", Contract.RequesterRole.CustomerService, buyer)
            with { FiledAt = DateTimeOffset.UtcNow.AddMinutes(30) });

        await probe.WaitFor<Contract.ClaimApproved>(m => m.ClaimId == within, Wait, "the claim filed 30 minutes ahead is adjudicated");
        using var sre = warranty.As(PlatformRoles.Operator, "sre-1");
        await Eventually.Until(async () => (await sre.GetStringAsync("/operations/refusals")).Contains(beyond.ToString(), StringComparison.Ordinal),
            Wait, "the claim filed 90 minutes ahead is refused");
        var refusals = await sre.GetStringAsync("/operations/refusals");
        Assert.Contains("more than 60 minutes ahead", refusals, StringComparison.Ordinal);
        Assert.DoesNotContain(within.ToString(), refusals, StringComparison.Ordinal);
    }
}
