using Npgsql;
using Platform.EventSourcing;
using Platform.TestHost.Messages;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>What a unit of work whose connection the database dropped (a restart, a failover) reports.</summary>
public sealed class ConnectionLossTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_load_on_a_connection_the_database_dropped_fails_as_a_transient_database_fault_that_the_bus_retries()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        await using (var earlier = await store.OpenSession(null, new MessageMetadata(Guid.NewGuid(), Guid.NewGuid(), null, null, null), None))
        {
            earlier.Append("stream-1", "test", 0, [new TestMessageApplied(Guid.Empty, 0)]);
            await earlier.Commit(None);
        }

        await using var session = await store.OpenSession(null, new MessageMetadata(Guid.NewGuid(), Guid.NewGuid(), null, null, null), None);
        await using (var admin = NpgsqlDataSource.Create(TestDatabase.Settings.ConnectionString("postgres")))
        {
            await using var terminate = admin.CreateCommand("select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()");
            terminate.Parameters.Add(new() { Value = database.Name });
            await terminate.ExecuteScalarAsync();
        }

        var fault = await Assert.ThrowsAnyAsync<Exception>(() => session.Load("stream-1", "test", 0L, (count, _) => count + 1, None));

        // The bus's back-off and the HTTP 503 both recognise exactly this; a statement retried inside
        // the dropped transaction would surface as InvalidOperationException instead.
        Assert.True(DatabaseFaults.IsTransient(fault), $"Expected a transient database fault, got {fault.GetType().Name}: {fault.Message}");
    }
}
