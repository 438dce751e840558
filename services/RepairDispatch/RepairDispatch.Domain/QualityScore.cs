namespace RepairDispatch.Domain;

public static class QualityScore
{
    /// <summary>
    /// The provider's quality score, in (0, 100); see QUALITY_SCORE.md beside this file.
    /// <code>
    /// good  = wOnTime · onTimeCallbacks + wCompletion · completions
    /// bad   = wBreach · breaches        + wDecline · declines
    /// score = 100 · (good + k) / (good + bad + 2k)          k = PriorWeight
    /// </code>
    /// It is the mean of a Beta(good + k, bad + k) posterior over "an outcome is good": a provider with
    /// no record scores 50 and a short record moves it only a little, so a newcomer is neither first
    /// nor last in selection. More on-time callbacks or completions never lower the score; more
    /// breaches or declines never raise it. Dispatches with no outcome yet do not count.
    /// </summary>
    public static double Of(ProviderScorecard card, QualityScoreWeights weights)
    {
        var good = weights.OnTimeCallback * card.OnTimeCallbacks + weights.Completion * card.Completions;
        var bad = weights.Breach * card.Breaches + weights.Decline * card.Declines;
        return 100 * (good + weights.PriorWeight) / (good + bad + 2 * weights.PriorWeight);
    }
}
