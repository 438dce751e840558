using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

public class ScorecardTests
{
    private static readonly Guid Job2 = Guid.Parse("6f1c2a4e-0000-4000-8000-000000000002");
    private static readonly Guid Job3 = Guid.Parse("6f1c2a4e-0000-4000-8000-000000000003");

    private static ProviderScorecard Fold(string providerId, params RepairJobEvent[] events) =>
        events.Aggregate(ProviderScorecard.Empty(providerId), ProviderScorecard.Evolve);

    private static readonly RepairJobEvent[] History =
    [
        // Job 1: A breaches, B calls on time after 2 h and completes after 50 h.
        Opened(), Dispatched(1, "A", T0), Breached(1, "A", T0, At(24)),
        Dispatched(2, "B", At(24)), Contacted(2, "B", At(24), At(26)),
        new RepairJobCompleted(JobId, 2, "B", RepairOutcome.Repaired, "report", At(24), At(74)),
        // Job 2: A calls on time after 4 h and completes after 30 h.
        new RepairJobDispatched(Job2, 1, "A", Source, Request, RepairPayer.Brand, T0, At(24)),
        new CustomerContacted(Job2, 1, "A", BookedFor, T0, At(4), OnTime: true),
        new RepairJobCompleted(Job2, 1, "A", RepairOutcome.Unrepairable, "report", T0, At(30)),
        // Job 3: A calls late after 30 h (a breach), then declines.
        new RepairJobDispatched(Job3, 1, "A", Source, Request, RepairPayer.Brand, T0, At(24)),
        new CustomerContacted(Job3, 1, "A", BookedFor, T0, At(30), OnTime: false),
        new ProviderCallbackSlaBreached(Job3, 1, "A", At(24), At(30)),
        new RepairJobDeclined(Job3, 1, "A", "out of parts", At(31)),
        new UnauthorisedProviderActionRecorded(JobId, "A", ProviderAction.Accept, RepairDispatchRefusalCode.AttemptSuperseded, At(40)),
    ];

    [Fact]
    public void The_scorecard_counts_only_its_own_providers_events()
    {
        var a = Fold("A", History);

        Assert.Equal(
            (JobsDispatched: 3, OnTimeCallbacks: 1, Breaches: 2, Declines: 1, Completions: 1),
            (a.JobsDispatched, a.OnTimeCallbacks, a.Breaches, a.Declines, a.Completions));

        var b = Fold("B", History);
        Assert.Equal(
            (JobsDispatched: 1, OnTimeCallbacks: 1, Breaches: 0, Declines: 0, Completions: 1),
            (b.JobsDispatched, b.OnTimeCallbacks, b.Breaches, b.Declines, b.Completions));
    }

    [Fact]
    public void Times_measure_from_the_attempts_dispatch()
    {
        var a = Fold("A", History);
        // Job 2 called after 4 h and completed after 30 h; job 3 called late, after 30 h.
        Assert.Equal([TimeSpan.FromHours(4), TimeSpan.FromHours(30)], a.TimesToCallback);
        Assert.Equal([TimeSpan.FromHours(30)], a.TimesToComplete);

        var b = Fold("B", History);
        Assert.Equal([TimeSpan.FromHours(2)], b.TimesToCallback);
        Assert.Equal([TimeSpan.FromHours(50)], b.TimesToComplete);
    }

    [Fact]
    public void A_provider_with_no_record_has_no_times()
    {
        var card = Fold("D", History);
        Assert.Equal((0, 0, 0, 0, 0), (card.JobsDispatched, card.OnTimeCallbacks, card.Breaches, card.Declines, card.Completions));
        Assert.Empty(card.TimesToCallback);
        Assert.Empty(card.TimesToComplete);
    }
}
