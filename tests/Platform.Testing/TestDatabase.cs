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

    /// <summary>
    /// The plan PostgreSQL would choose for <paramref name="sql"/> now (<c>explain (format json)</c>) with these
    /// parameters bound; Marten's <c>?</c> placeholders (a <c>?</c> before <c>::</c>) are numbered first.
    /// </summary>
    public async Task<string> Plan(string sql, params object[] parameters)
    {
        var numbered = 0;
        await using var command = DataSource.CreateCommand(
            "explain (format json) " + System.Text.RegularExpressions.Regex.Replace(sql, @"\?(?=::)", _ => $"${++numbered}"));
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return (string)(await command.ExecuteScalarAsync())!;
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
