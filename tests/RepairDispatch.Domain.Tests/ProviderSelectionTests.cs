using RepairDispatch.Domain;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

public class ProviderSelectionTests
{
    private static string? Select(IEnumerable<ProviderCandidate> candidates, params string[] tried) =>
        ProviderSelection.Select(candidates, "GD", "home-appliance", tried)?.ProviderId;

    [Fact]
    public void Highest_quality_score_first() =>
        Assert.Equal("B", Select([Candidate("A", score: 60), Candidate("B", score: 75), Candidate("C", score: 70)]));

    [Fact]
    public void Equal_scores_go_to_the_provider_with_fewest_open_jobs() =>
        Assert.Equal("C", Select([Candidate("A", score: 70, openJobs: 3), Candidate("B", score: 70, openJobs: 2), Candidate("C", score: 70, openJobs: 1)]));

    [Fact]
    public void Equal_scores_and_loads_go_to_the_lowest_id_in_ordinal_order() =>
        // Ordinal puts "Z" before "a"; a linguistic order would not.
        Assert.Equal("Z", Select([Candidate("a"), Candidate("b"), Candidate("Z")]));

    [Fact]
    public void A_suspended_provider_is_never_chosen() =>
        Assert.Equal("B", Select([Candidate("A", score: 99, status: ProviderStatus.Suspended), Candidate("B", score: 50)]));

    [Fact]
    public void A_provider_outside_the_region_is_never_chosen() =>
        Assert.Equal("B", Select([Candidate("A", score: 99, region: "ZJ"), Candidate("B", score: 50)]));

    [Fact]
    public void A_provider_outside_the_category_is_never_chosen() =>
        Assert.Equal("B", Select([Candidate("A", score: 99, category: "phone"), Candidate("B", score: 50)]));

    [Fact]
    public void A_provider_at_capacity_is_never_chosen() =>
        Assert.Equal("B", Select([Candidate("A", score: 99, openJobs: 2, capacity: 2), Candidate("B", score: 50, openJobs: 1, capacity: 2)]));

    [Fact]
    public void A_provider_tried_before_on_the_job_is_never_chosen() =>
        Assert.Equal("B", Select([Candidate("A", score: 99), Candidate("B", score: 50)], "A"));

    [Fact]
    public void None_when_no_provider_fits() =>
        Assert.Null(Select([Candidate("A", region: "ZJ"), Candidate("B", status: ProviderStatus.Suspended), Candidate("C")], "C"));
}
