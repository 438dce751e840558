using Npgsql;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Platform.Testing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

public sealed class ProviderCapacityTests
{
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);

    /// <summary>
    /// A provider's last free slot taken by another unit of work since selection read it: the conflict is the
    /// capacity table's (retried like a lost race), not a stream's, since no stream was contended.
    /// </summary>
    [Fact]
    public async Task A_dispatch_past_a_providers_capacity_is_an_invariant_conflict()
    {
        await using var database = await Providers(openJobs: 1);
        using var store = Store(database);
        await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);

        ProviderCapacity.Apply(session, [new ProviderRowChange("p-1", OpenJobs: 1, ProviderScorecard.Empty("p-1"))], Guid.NewGuid(), DateTimeOffset.UtcNow);

        var conflict = await Assert.ThrowsAsync<InvariantConflictException>(() => session.Commit(CancellationToken.None));
        Assert.Equal(("providers", "p-1"), (conflict.Table, conflict.Key));
        Assert.Equal(1, await OpenJobs(database));
    }

    /// <summary>The change rides in the commit: a free slot is taken, and the scorecard's counts and samples added, when it commits.</summary>
    [Fact]
    public async Task A_dispatch_within_capacity_takes_its_slot_and_scores_when_it_commits()
    {
        await using var database = await Providers(openJobs: 0);
        using var store = Store(database);
        var card = ProviderScorecard.Empty("p-1") with { JobsDispatched = 1, TimesToCallback = [TimeSpan.FromHours(2)] };
        await using (var session = await store.OpenSession(null, NoMetadata, CancellationToken.None))
        {
            ProviderCapacity.Apply(session, [new ProviderRowChange("p-1", OpenJobs: 1, card)], Guid.NewGuid(), DateTimeOffset.UtcNow);
            Assert.Equal(0, await OpenJobs(database));
            await session.Commit(CancellationToken.None);
        }

        Assert.Equal(1, await OpenJobs(database));
        await using var scored = database.DataSource.CreateCommand(
            "select (select jobs_dispatched from providers where provider_id = 'p-1'), (select count(*) from provider_timings where provider_id = 'p-1' and kind = 'callback')");
        await using var reader = await scored.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((1, 1L), (reader.GetInt32(0), reader.GetInt64(1)));
    }

    /// <summary>
    /// The scorecard's medians come from the samples the commits stored: the middle one of an odd count, the mean of
    /// the two middle ones of an even count, over every commit's samples.
    /// </summary>
    [Fact]
    public async Task The_scorecards_medians_are_taken_over_the_samples_of_every_commit()
    {
        await using var database = await Providers(openJobs: 0);
        using var store = Store(database);
        ProviderScorecard Card(params double[] callbackHours) => ProviderScorecard.Empty("p-1") with
        {
            TimesToCallback = [.. callbackHours.Select(TimeSpan.FromHours)],
            TimesToComplete = [.. callbackHours.Select(h => TimeSpan.FromHours(h * 10))],
        };
        async Task Commit(ProviderScorecard card)
        {
            await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);
            ProviderCapacity.Apply(session, [new ProviderRowChange("p-1", OpenJobs: 0, card)], Guid.NewGuid(), DateTimeOffset.UtcNow);
            await session.Commit(CancellationToken.None);
        }
        await Commit(Card(30));
        await Commit(Card(4, 9));

        var odd = await ProviderReadModel.Scorecard(database.DataSource, "p-1", QualityScoreWeights.Default, CancellationToken.None);
        Assert.Equal((TimeSpan.FromHours(9), TimeSpan.FromHours(90)), (odd!.MedianTimeToCallback, odd.MedianTimeToComplete));

        await Commit(Card(1));
        var even = await ProviderReadModel.Scorecard(database.DataSource, "p-1", QualityScoreWeights.Default, CancellationToken.None);
        Assert.Equal((TimeSpan.FromHours(6.5), TimeSpan.FromHours(65)), (even!.MedianTimeToCallback, even.MedianTimeToComplete));
    }

    /// <summary>Job events for a provider with no row are a fault, not a race: the commit fails without a retryable conflict.</summary>
    [Fact]
    public async Task Job_events_for_a_provider_without_a_row_fail_the_commit_as_a_fault()
    {
        await using var database = await Providers(openJobs: 0);
        using var store = Store(database);
        await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);

        ProviderCapacity.Apply(session, [new ProviderRowChange("p-unknown", OpenJobs: -1, ProviderScorecard.Empty("p-unknown"))], Guid.NewGuid(), DateTimeOffset.UtcNow);

        var fault = await Assert.ThrowsAnyAsync<Exception>(() => session.Commit(CancellationToken.None));
        Assert.IsNotType<InvariantConflictException>(fault);
        Assert.Contains("p-unknown has job events but no read-model row", fault.ToString(), StringComparison.Ordinal);
    }

    private static async Task<TestDatabase> Providers(int openJobs)
    {
        var database = await TestDatabase.Create();
        await Migrator.Apply(database.DataSource, ReadModelMigrations.All, CancellationToken.None);
        await using var provider = database.DataSource.CreateCommand(
            $"insert into providers (provider_id, regions, categories, capacity, status, open_jobs, updated_at) values ('p-1', '{{GD}}', '{{phone}}', 1, 'Active', {openJobs}, now())");
        await provider.ExecuteNonQueryAsync();
        return database;
    }

    private static EventStore Store(TestDatabase database)
    {
        var types = new MessageTypeRegistry();
        EventTypes.Register(types);
        types.RegisterNamespace(typeof(ClaimApproved).Assembly, "Platform.Contracts");
        return new EventStore(database.DataSource, types, TimeProvider.System, [ProviderStream.Snapshots]);
    }

    private static async Task<int> OpenJobs(TestDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("select open_jobs from providers where provider_id = 'p-1'");
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
