using System.Text.Json.Serialization;
using Npgsql;
using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;

namespace RepairDispatch.Service.ReadModels;

/// <summary>A provider as operators see it; when its broker user was just created, with the credentials, shown this once.</summary>
public sealed record ProviderView(
    string ProviderId,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> Categories,
    int Capacity,
    ProviderStatus Status,
    int OpenJobs,
    double QualityScore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BrokerCredentials? BrokerCredentials = null);

/// <summary>A provider's record (docs/domain.md: jobs, on-time callbacks, breaches, declines, completions, medians) and its score.</summary>
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

/// <summary>The providers table as operators and providers query it: registration, status, open jobs and scorecard counts.</summary>
public static class ProviderReadModel
{
    internal const string Columns = "provider_id, regions, categories, capacity, status, open_jobs, jobs_dispatched, on_time_callbacks, breaches, declines, completions";

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

    public static async Task<IReadOnlyList<ProviderView>> List(NpgsqlDataSource dataSource, QualityScoreWeights weights, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from providers order by provider_id");
        return [.. (await Read(command, ct)).Select(r => r.View(weights))];
    }

    public static async Task<ProviderView?> Get(NpgsqlDataSource dataSource, string providerId, QualityScoreWeights weights, CancellationToken ct) =>
        (await Find(dataSource, providerId, ct))?.View(weights);

    /// <summary>The provider as the unit of work leaves it, before it commits.</summary>
    public static async Task<ProviderView?> Get(Session session, string providerId, QualityScoreWeights weights, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {Columns} from providers where provider_id = $1", session.Connection, session.Transaction);
        command.Parameters.Add(new() { Value = providerId });
        return (await Read(command, ct)).SingleOrDefault()?.View(weights);
    }

    public static async Task<ScorecardView?> Scorecard(NpgsqlDataSource dataSource, string providerId, QualityScoreWeights weights, CancellationToken ct)
    {
        if (await Find(dataSource, providerId, ct) is not { } row)
        {
            return null;
        }
        // percentile_cont: the middle sample of an odd count, the mean of the two middle samples of an even count.
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

    internal static async Task<List<Row>> Read(NpgsqlCommand command, CancellationToken ct)
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

    internal sealed record Row(
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
