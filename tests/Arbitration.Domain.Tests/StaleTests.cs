using static Arbitration.Domain.Tests.Sample;

namespace Arbitration.Domain.Tests;

public class StaleTests
{
    private static readonly CaseState Open = CaseState.Evolve(CaseState.Initial, MerchantCase);

    [Fact]
    public void A_case_open_without_a_ruling_for_more_than_seven_days_is_stale() =>
        Assert.True(Open.IsStale(OpenedAt.AddDays(7).AddSeconds(1), ArbitrationPolicy.Default));

    [Fact]
    public void A_case_open_exactly_seven_days_is_not_yet_stale() =>
        Assert.False(Open.IsStale(OpenedAt.AddDays(7), ArbitrationPolicy.Default));

    [Fact]
    public void The_stale_threshold_is_policy() =>
        Assert.True(Open.IsStale(OpenedAt.AddDays(2).AddSeconds(1), new ArbitrationPolicy { StaleAfter = TimeSpan.FromDays(2) }));

    [Fact]
    public void A_ruled_case_is_never_stale()
    {
        var ruled = CaseState.Evolve(Open, new CaseEvent.CaseRuled(CaseId, RefundBuyer, "default", null, DeadlineAt));

        Assert.False(ruled.IsStale(OpenedAt.AddDays(30), ArbitrationPolicy.Default));
    }

    [Fact]
    public void A_case_not_opened_is_not_stale() =>
        Assert.False(CaseState.Initial.IsStale(OpenedAt.AddDays(30), ArbitrationPolicy.Default));
}
