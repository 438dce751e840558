using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults;

namespace Platform.Testing;

/// <summary>A database of its own for one test or fixture, dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static PlatformSettings Settings => TestServers.Current.Settings;

    private TestDatabase(string name)
    {
        Name = name;
        DataSource = NpgsqlDataSource.Create(Settings.ConnectionString(name));
    }

    public string Name { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> Create(bool migrate = true)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using (var admin = NpgsqlDataSource.Create(Settings.ConnectionString("postgres")))
        await using (var command = admin.CreateCommand($"create database \"{name}\""))
        {
            await command.ExecuteNonQueryAsync();
        }
        var database = new TestDatabase(name);
        if (migrate)
        {
            await Migrator.Apply(database.DataSource, EventStoreSchema.Migrations, CancellationToken.None);
        }
        return database;
    }

    public async Task<T> Scalar<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Settings.ConnectionString("postgres"));
        await using var command = admin.CreateCommand($"drop database if exists \"{Name}\" with (force)");
        await command.ExecuteNonQueryAsync();
    }
}
