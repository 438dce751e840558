using Npgsql;
using Platform.EventSourcing;
using RepairDispatch.Domain;

namespace RepairDispatch.Service.ReadModels;

/// <summary>A provider as operators see it.</summary>
public sealed record ProviderView(
    string ProviderId,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> Categories,
    int Capacity,
    ProviderStatus Status,
    int OpenJobs,
    double QualityScore);

/// <summary>A provider's record (DOMAIN.md: jobs, on-time callbacks, breaches, declines, completions, medians) and its score.</summary>
public sealed record ScorecardView(
    string ProviderId,
    ProviderStatus Status,
    int JobsDispatched,
    int OnTimeCallbacks,
    int Breaches,
    int Declines,
    int Completions,
    TimeSpan? MedianTimeToCallback,
    TimeSpan? MedianTimeToComplete,
    double QualityScore);

/// <summary>What one unit of work changes on one provider's row.</summary>
/// <param name="Scorecard">The job events' effect on the scorecard, folded from an empty one: counts and samples to add.</param>
/// <param name="Status">The provider's new status when its stream changed it.</param>
public sealed record ProviderRowChange(string ProviderId, int OpenJobs, ProviderScorecard Scorecard, ProviderStatus? Status);

/// <summary>The providers table: registration, status, open jobs and scorecard counts.</summary>
public static class ProviderReadModel
{
    private const string Columns = "provider_id, regions, categories, capacity, status, open_jobs, jobs_dispatched, on_time_callbacks, breaches, declines, completions";

    /// <summary>Writes what the provider's stream says; open jobs and the scorecard are the job streams' part and stay.</summary>
    public static async Task Upsert(Session session, Provider.Registered provider, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            insert into providers (provider_id, regions, categories, capacity, status, updated_at) values ($1, $2, $3, $4, $5, $6)
            on conflict (provider_id) do update set regions = excluded.regions, categories = excluded.categories,
                capacity = excluded.capacity, status = excluded.status, updated_at = excluded.updated_at
            """, session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = provider.ProviderId });
        command.Parameters.Add(new() { Value = provider.Regions.ToArray() });
        command.Parameters.Add(new() { Value = provider.Categories.ToArray() });
        command.Parameters.Add(new() { Value = provider.Capacity });
        command.Parameters.Add(new() { Value = provider.Status.ToString() });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Locks the providers' rows until the unit of work ends, in ordinal id order, as <see cref="Apply"/> does.</summary>
    public static async Task TakeTurns(Session session, IEnumerable<string> providerIds, CancellationToken ct)
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
                    completions = completions + $7, status = coalesce($8, status), updated_at = $9
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
                update.Parameters.Add(new() { Value = (object?)change.Status?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                update.Parameters.Add(new() { Value = now });
                if (await update.ExecuteNonQueryAsync(ct) == 0)
                {
                    // Selection saw a free slot that a concurrent dispatch took first: a lost race like a
                    // stream conflict, so it is retried the same way, from a fresh load and fresh candidates.
                    throw change.OpenJobs > 0
                        ? new StreamConcurrencyException($"provider-capacity-{change.ProviderId}", change.OpenJobs, 0)
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
            $"select {Columns} from providers where regions @> array[$1] and categories @> array[$2]", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = region });
        command.Parameters.Add(new() { Value = category });
        var rows = await Read(command, ct);
        return [.. rows.Select(r => new ProviderCandidate(r.ProviderId, r.Status, r.Regions, r.Categories, r.Capacity, r.OpenJobs, r.Score(weights)))];
    }

    public static async Task<IReadOnlyList<ProviderView>> List(NpgsqlDataSource dataSource, QualityScoreWeights weights, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from providers order by provider_id");
        return [.. (await Read(command, ct)).Select(r => r.View(weights))];
    }

    public static async Task<ProviderView?> Get(NpgsqlDataSource dataSource, string providerId, QualityScoreWeights weights, CancellationToken ct) =>
        (await Find(dataSource, providerId, ct))?.View(weights);

    public static async Task<ScorecardView?> Scorecard(NpgsqlDataSource dataSource, string providerId, QualityScoreWeights weights, CancellationToken ct)
    {
        if (await Find(dataSource, providerId, ct) is not { } row)
        {
            return null;
        }
        // percentile_cont takes the mean of the two middle samples of an even count, as ProviderScorecard's median does.
        await using var command = dataSource.CreateCommand("""
            select percentile_cont(0.5) within group (order by ticks) filter (where kind = 'callback'),
                   percentile_cont(0.5) within group (order by ticks) filter (where kind = 'completion')
            from provider_timings where provider_id = $1
            """);
        command.Parameters.Add(new() { Value = providerId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        TimeSpan? Median(int i) => reader.IsDBNull(i) ? null : TimeSpan.FromTicks((long)Math.Round(reader.GetDouble(i)));
        return new ScorecardView(row.ProviderId, row.Status, row.JobsDispatched, row.OnTimeCallbacks, row.Breaches, row.Declines, row.Completions,
            Median(0), Median(1), row.Score(weights));
    }

    private static async Task<Row?> Find(NpgsqlDataSource dataSource, string providerId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from providers where provider_id = $1");
        command.Parameters.Add(new() { Value = providerId });
        return (await Read(command, ct)).SingleOrDefault();
    }

    private static async Task<List<Row>> Read(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Row>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<string[]>(2), reader.GetInt32(3),
                Enum.Parse<ProviderStatus>(reader.GetString(4)), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
                reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)));
        }
        return rows;
    }

    private sealed record Row(
        string ProviderId, string[] Regions, string[] Categories, int Capacity, ProviderStatus Status, int OpenJobs,
        int JobsDispatched, int OnTimeCallbacks, int Breaches, int Declines, int Completions)
    {
        // Computed on read from the counts, so a change of the weights applies at once to every provider.
        public double Score(QualityScoreWeights weights) =>
            QualityScore.Of(new ProviderScorecard(ProviderId, JobsDispatched, OnTimeCallbacks, Breaches, Declines, Completions, [], []), weights);

        public ProviderView View(QualityScoreWeights weights) =>
            new(ProviderId, Regions, Categories, Capacity, Status, OpenJobs, Score(weights));
    }
}
