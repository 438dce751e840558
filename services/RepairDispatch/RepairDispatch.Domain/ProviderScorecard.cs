using System.Collections.Immutable;
using static RepairDispatch.Domain.RepairJobEvent;

namespace RepairDispatch.Domain;

/// <summary>
/// One provider's record, folded from the events of every job: the figures docs/domain.md asks for and
/// what <see cref="QualityScore.Of"/> needs.
/// </summary>
/// <param name="TimesToCallback">From dispatch to the buyer contacted, late calls included.</param>
/// <param name="TimesToComplete">From the completing attempt's dispatch to completion.</param>
public sealed record ProviderScorecard(
    string ProviderId,
    int JobsDispatched,
    int OnTimeCallbacks,
    int Breaches,
    int Declines,
    int Completions,
    ImmutableList<TimeSpan> TimesToCallback,
    ImmutableList<TimeSpan> TimesToComplete)
{
    public static ProviderScorecard Empty(string providerId) => new(providerId, 0, 0, 0, 0, 0, [], []);

    /// <summary>Applies a job event if it is about this provider; any other event leaves the scorecard as it is.</summary>
    public static ProviderScorecard Evolve(ProviderScorecard card, RepairJobEvent @event) =>
        @event switch
        {
            RepairJobDispatched e when e.ProviderId == card.ProviderId => card with { JobsDispatched = card.JobsDispatched + 1 },
            CustomerContacted e when e.ProviderId == card.ProviderId => card with
            {
                OnTimeCallbacks = card.OnTimeCallbacks + (e.OnTime ? 1 : 0),
                TimesToCallback = card.TimesToCallback.Add(e.ContactedAt - e.DispatchedAt),
            },
            ProviderCallbackSlaBreached e when e.ProviderId == card.ProviderId => card with { Breaches = card.Breaches + 1 },
            RepairJobDeclined e when e.ProviderId == card.ProviderId => card with { Declines = card.Declines + 1 },
            RepairJobCompleted e when e.ProviderId == card.ProviderId => card with
            {
                Completions = card.Completions + 1,
                TimesToComplete = card.TimesToComplete.Add(e.CompletedAt - e.DispatchedAt),
            },
            _ => card,
        };
}
