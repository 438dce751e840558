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
        await using var database = await TestDatabase.Create();
        await Migrator.Apply(database.DataSource, ReadModelMigrations.All, CancellationToken.None);
        var types = new MessageTypeRegistry();
        EventTypes.Register(types);
        types.RegisterNamespace(typeof(ClaimApproved).Assembly, "Platform.Contracts");
        using var store = new EventStore(database.DataSource, types, TimeProvider.System, [ProviderStream.Snapshots]);
        await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        await using (var full = new NpgsqlCommand(
            "insert into providers (provider_id, regions, categories, capacity, status, open_jobs, updated_at) values ('p-1', '{GD}', '{phone}', 1, 'Active', 1, now())",
            session.Connection, session.Transaction))
        {
            await full.ExecuteNonQueryAsync();
        }

        var conflict = await Assert.ThrowsAsync<InvariantConflictException>(() => ProviderCapacity.Apply(session,
            [new ProviderRowChange("p-1", OpenJobs: 1, ProviderScorecard.Empty("p-1"))], Guid.NewGuid(), DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(("providers", "p-1"), (conflict.Table, conflict.Key));
    }
}
