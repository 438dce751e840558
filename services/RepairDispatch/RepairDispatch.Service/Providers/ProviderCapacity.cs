using Npgsql;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
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
    /// Applies job-driven changes in provider id order, so two units of work touching the same
    /// providers lock their rows in the same order and never deadlock each other.
    /// </summary>
    public static async Task Apply(Session session, IEnumerable<ProviderRowChange> changes, Guid jobId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var change in changes.OrderBy(c => c.ProviderId, StringComparer.Ordinal))
        {
            var card = change.Scorecard;
            await using (var update = new NpgsqlCommand("""
                update providers set open_jobs = open_jobs + $2, jobs_dispatched = jobs_dispatched + $3,
                    on_time_callbacks = on_time_callbacks + $4, breaches = breaches + $5, declines = declines + $6,
                    completions = completions + $7, updated_at = $8
                where provider_id = $1 and ($2 <= 0 or open_jobs + $2 <= capacity)
                """, session.Connection, session.Transaction))
            {
                update.Parameters.Add(new() { Value = change.ProviderId });
                update.Parameters.Add(new() { Value = change.OpenJobs });
                update.Parameters.Add(new() { Value = card.JobsDispatched });
                update.Parameters.Add(new() { Value = card.OnTimeCallbacks });
                update.Parameters.Add(new() { Value = card.Breaches });
                update.Parameters.Add(new() { Value = card.Declines });
                update.Parameters.Add(new() { Value = card.Completions });
                update.Parameters.Add(new() { Value = now });
                if (await update.ExecuteNonQueryAsync(ct) == 0)
                {
                    // Selection saw a free slot that a concurrent dispatch took first: a lost race like a
                    // stream conflict, so it is retried the same way, from a fresh load and fresh candidates.
                    throw change.OpenJobs > 0
                        ? new InvariantConflictException("providers", change.ProviderId)
                        : new InvalidOperationException($"Provider {change.ProviderId} has job events but no read-model row.");
                }
            }

            foreach (var (kind, samples) in new[] { ("callback", card.TimesToCallback), ("completion", card.TimesToComplete) })
            {
                if (samples.IsEmpty)
                {
                    continue;
                }
                await using var insert = new NpgsqlCommand(
                    "insert into provider_timings (provider_id, kind, job_id, ticks) select $1, $2, $3, unnest($4::bigint[])",
                    session.Connection, session.Transaction);
                insert.Parameters.Add(new() { Value = change.ProviderId });
                insert.Parameters.Add(new() { Value = kind });
                insert.Parameters.Add(new() { Value = jobId });
                insert.Parameters.Add(new() { Value = samples.Select(s => s.Ticks).ToArray() });
                await insert.ExecuteNonQueryAsync(ct);
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
