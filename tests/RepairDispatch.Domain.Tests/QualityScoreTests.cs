using FsCheck;
using FsCheck.Fluent;
using RepairDispatch.Domain;

namespace RepairDispatch.Domain.Tests;

public class QualityScoreTests
{
    private static readonly QualityScoreWeights Weights = QualityScoreWeights.Default;

    private static ProviderScorecard Card(int onTime = 0, int completions = 0, int breaches = 0, int declines = 0) =>
        ProviderScorecard.Empty("P") with
        {
            JobsDispatched = onTime + breaches + declines,
            OnTimeCallbacks = onTime,
            Completions = completions,
            Breaches = breaches,
            Declines = declines,
        };

    private static double Score(ProviderScorecard card) => QualityScore.Of(card, Weights);

    [Theory]
    [InlineData(0, 0, 0, 0, 50.0)]
    [InlineData(1, 1, 0, 0, 60.0)]
    [InlineData(10, 10, 0, 0, 85.714)]
    [InlineData(8, 8, 2, 0, 71.429)]
    [InlineData(0, 0, 1, 0, 40.0)]
    [InlineData(0, 0, 3, 0, 28.571)]
    [InlineData(0, 0, 0, 2, 44.444)]
    public void The_documented_examples_hold(int onTime, int completions, int breaches, int declines, double expected) =>
        Assert.Equal(expected, Score(Card(onTime, completions, breaches, declines)), precision: 3);

    [Fact]
    public void A_new_provider_is_ranked_between_good_and_bad_records()
    {
        var newcomer = Score(ProviderScorecard.Empty("N"));
        Assert.InRange(newcomer, Score(Card(breaches: 1)) + 1, Score(Card(onTime: 1)) - 1);
    }

    private static readonly Arbitrary<ProviderScorecard> Cards =
        (from onTime in Gen.Choose(0, 500)
         from completions in Gen.Choose(0, 500)
         from breaches in Gen.Choose(0, 500)
         from declines in Gen.Choose(0, 500)
         select Card(onTime, completions, breaches, declines)).ToArbitrary();

    [Fact]
    public void Scores_stay_strictly_between_0_and_100() =>
        Prop.ForAll(Cards, card => Score(card) is > 0 and < 100).QuickCheckThrowOnFailure();

    [Fact]
    public void More_breaches_never_raise_the_score() =>
        Prop.ForAll(Cards, card => Score(card with { Breaches = card.Breaches + 1, JobsDispatched = card.JobsDispatched + 1 }) < Score(card))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void More_declines_never_raise_the_score() =>
        Prop.ForAll(Cards, card => Score(card with { Declines = card.Declines + 1, JobsDispatched = card.JobsDispatched + 1 }) < Score(card))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void More_on_time_callbacks_never_lower_the_score() =>
        Prop.ForAll(Cards, card => Score(card with { OnTimeCallbacks = card.OnTimeCallbacks + 1, JobsDispatched = card.JobsDispatched + 1 }) > Score(card))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void More_completions_never_lower_the_score() =>
        Prop.ForAll(Cards, card => Score(card with { Completions = card.Completions + 1 }) > Score(card))
            .QuickCheckThrowOnFailure();
}
