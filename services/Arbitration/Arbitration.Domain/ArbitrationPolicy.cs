namespace Arbitration.Domain;

/// <summary>The Arbitration service's policy numbers; the service binds them from configuration.</summary>
public sealed record ArbitrationPolicy
{
    public static ArbitrationPolicy Default { get; } = new();

    /// <summary>How long the respondent has to answer with evidence before losing by default.</summary>
    public TimeSpan RespondentDeadline { get; init; } = TimeSpan.FromHours(72);

    /// <summary>A case open this long without a ruling is stale (watched by operators).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromDays(7);
}
