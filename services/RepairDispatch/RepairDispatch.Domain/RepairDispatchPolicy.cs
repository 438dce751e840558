namespace RepairDispatch.Domain;

/// <summary>
/// Every policy number of repair dispatch (docs/domain.md, "Repair dispatch"). The service binds it from
/// configuration; <see cref="Default"/> holds docs/domain.md's values.
/// </summary>
/// <param name="CallbackSla">How long a provider has, from dispatch, to call the buyer back.</param>
/// <param name="MaxAttempts">How many providers a job is dispatched to before the platform takes it over.</param>
/// <param name="DeviceFeedbackDeadline">How long a provider holding a mailed-in device may stay silent.</param>
/// <param name="SuspensionBreachThreshold">Callback breaches within <paramref name="SuspensionWindow"/> that suspend a provider.</param>
/// <param name="SuspensionWindow">How far back breaches count towards suspension.</param>
/// <param name="QualityScore">The weights of <see cref="QualityScore"/>.</param>
public sealed record RepairDispatchPolicy(
    TimeSpan CallbackSla,
    int MaxAttempts,
    TimeSpan DeviceFeedbackDeadline,
    int SuspensionBreachThreshold,
    TimeSpan SuspensionWindow,
    QualityScoreWeights QualityScore)
{
    public static RepairDispatchPolicy Default { get; } = new(
        CallbackSla: TimeSpan.FromHours(24),
        MaxAttempts: 3,
        DeviceFeedbackDeadline: TimeSpan.FromDays(30),
        SuspensionBreachThreshold: 3,
        SuspensionWindow: TimeSpan.FromDays(30),
        QualityScore: QualityScoreWeights.Default);
}

/// <summary>The weights of the quality score; see <see cref="QualityScore.Of"/> and QUALITY_SCORE.md.</summary>
/// <param name="OnTimeCallback">Good points per on-time callback.</param>
/// <param name="Completion">Good points per completed job.</param>
/// <param name="Breach">Bad points per callback SLA breach.</param>
/// <param name="Decline">Bad points per declined job.</param>
/// <param name="PriorWeight">Pseudo-points added to each side, so a provider with a short record scores near 50.</param>
public sealed record QualityScoreWeights(
    double OnTimeCallback,
    double Completion,
    double Breach,
    double Decline,
    double PriorWeight)
{
    // A breach leaves a buyer waiting and costs a redispatch, so it weighs twice a good callback; an
    // honest decline costs only the redispatch, so it weighs half.
    public static QualityScoreWeights Default { get; } = new(
        OnTimeCallback: 1,
        Completion: 1,
        Breach: 2,
        Decline: 0.5,
        PriorWeight: 4);
}
