using Npgsql;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Providers;

/// <summary>What one unit of work on a job changes on one provider's row.</summary>
/// <param name="Scorecard">The job events' effect on the scorecard, folded from an empty one: counts and samples to add.</param>
public sealed record ProviderRowChange(string ProviderId, int OpenJobs, ProviderScorecard Scorecard);

/// <summary>
/// The providers table as dispatch uses it: the candidates a job may go to, and the open jobs that must
/// never exceed a provider's capacity, which no one stream can see. Written in the job's unit of work.
/// </summary>
public static class ProviderCapacity
{
    /// <summary>Locks the providers' rows until the unit of work ends, in ordinal id order, as <see cref="Apply"/> does.</summary>
    public static async Task Lock(Session session, IEnumerable<string> providerIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """select 1 from providers where provider_id = any($1) order by provider_id collate "C" for update""", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = providerIds.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Applies job-driven changes with the commit, in provider id order, so two units of work touching the same
    /// providers lock their rows in the same order and never deadlock each other. Queued rather than sent now: a
    /// provider's row is then locked only from the commit's batch to its end, not across the rest of the unit of
    /// work, and every dispatch to that provider waits on it.
    /// </summary>
    public static void Apply(Session session, IEnumerable<ProviderRowChange> changes, Guid jobId, DateTimeOffset now)
    {
        foreach (var change in changes.OrderBy(c => c.ProviderId, StringComparer.Ordinal))
        {
            var card = change.Scorecard;
            // Selection saw a free slot that a concurrent dispatch may have taken first: the procedure then fails the
            // commit like a lost race, retried from a fresh load and fresh candidates.
            session.Take("providers", change.ProviderId, "call apply_provider_change(?, ?, ?, ?, ?, ?, ?, ?)",
                change.ProviderId, change.OpenJobs, card.JobsDispatched, card.OnTimeCallbacks, card.Breaches, card.Declines, card.Completions, now);

            foreach (var (kind, samples) in new[] { ("callback", card.TimesToCallback), ("completion", card.TimesToComplete) })
            {
                if (!samples.IsEmpty)
                {
                    session.Queue("insert into provider_timings (provider_id, kind, job_id, ticks) select ?, ?, ?, unnest(?::bigint[])",
                        change.ProviderId, kind, jobId, samples.Select(s => s.Ticks).ToArray());
                }
            }
        }
    }

    /// <summary>The providers serving a region and category, as selection sees them; selection itself decides who is eligible.</summary>
    public static async Task<IReadOnlyCollection<ProviderCandidate>> Candidates(Session session, string region, string category, QualityScoreWeights weights, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select {ProviderReadModel.Columns} from providers where regions @> array[$1] and categories @> array[$2]", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = region });
        command.Parameters.Add(new() { Value = category });
        var rows = await ProviderReadModel.Read(command, ct);
        return [.. rows.Select(r => new ProviderCandidate(r.ProviderId, r.Status, r.Regions, r.Categories, r.Capacity, r.OpenJobs, r.Score(weights)))];
    }

}
