using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Platform.ServiceDefaults;

namespace Platform.Chaos;

/// <summary>The four services' databases, as the checker reads them.</summary>
public sealed record ServiceDatabases(NpgsqlDataSource Order, NpgsqlDataSource Warranty, NpgsqlDataSource RepairDispatch, NpgsqlDataSource Arbitration)
    : IAsyncDisposable
{
    public IEnumerable<(string Service, NpgsqlDataSource Source)> All =>
        [("order", Order), ("warranty", Warranty), ("repairdispatch", RepairDispatch), ("arbitration", Arbitration)];

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, source) in All)
        {
            await source.DisposeAsync();
        }
    }
}

/// <summary>
/// Where a chaos run plays: databases of its own (the service's name after a prefix) and a broker virtual host of
/// its own, made afresh for each run, so every row and every dead-lettered message the checker finds is the run's.
/// </summary>
public sealed record ChaosTarget(PlatformSettings Settings, string DatabasePrefix)
{
    public static readonly IReadOnlyList<string> Services = ["order", "warranty", "repairdispatch", "arbitration"];

    public string Database(string service) => DatabasePrefix + service;

    public ServiceDatabases Open() => new(Source("order"), Source("warranty"), Source("repairdispatch"), Source("arbitration"));

    /// <summary>Drops and creates the run's databases and its virtual host; the services migrate the databases as they start.</summary>
    public async Task Prepare(CancellationToken ct)
    {
        await using (var admin = NpgsqlDataSource.Create(Settings.ConnectionString("postgres")))
        {
            foreach (var service in Services)
            {
                await using var drop = admin.CreateCommand($"drop database if exists \"{Database(service)}\" with (force)");
                await drop.ExecuteNonQueryAsync(ct);
                await using var create = admin.CreateCommand($"create database \"{Database(service)}\"");
                await create.ExecuteNonQueryAsync(ct);
            }
        }

        using var management = Management();
        var vhost = Uri.EscapeDataString(Settings.RabbitVirtualHost);
        using (var deleted = await management.DeleteAsync($"api/vhosts/{vhost}", ct))
        {
            if (!deleted.IsSuccessStatusCode && deleted.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"deleting virtual host {Settings.RabbitVirtualHost}: {(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync(ct)}");
            }
        }
        (await management.PutAsync($"api/vhosts/{vhost}", null, ct)).EnsureSuccessStatusCode();
        using var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await management.PutAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(Settings.RabbitUser)}", permissions, ct)).EnsureSuccessStatusCode();
    }

    /// <summary>RabbitMQ's management API port: 15672 unless PLATFORM_RABBITMQ_MANAGEMENT_PORT says otherwise (a test container's).</summary>
    public static int ManagementPort => int.Parse(Environment.GetEnvironmentVariable("PLATFORM_RABBITMQ_MANAGEMENT_PORT") ?? "15672");

    public HttpClient Management()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{Settings.RabbitHost}:{ManagementPort}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Settings.RabbitUser}:{Settings.RabbitPassword}")));
        return client;
    }

    private NpgsqlDataSource Source(string service) => NpgsqlDataSource.Create(Settings.ConnectionString(Database(service)));
}
