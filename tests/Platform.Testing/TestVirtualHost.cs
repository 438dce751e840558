using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.ServiceDefaults;

namespace Platform.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own, through the management API: a test's services see only
/// each other's messages, and deleting the host afterwards removes every queue it made.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    // Lazy, so that a test process without servers fails on the fixture's one-line message, not in a type initialiser.
    private static readonly Lazy<HttpClient> Management = new(CreateManagementClient);

    private TestVirtualHost(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static async Task<TestVirtualHost> Create()
    {
        var name = $"test-{Guid.NewGuid():N}";
        (await Management.Value.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var settings = TestDatabase.Settings;
        using var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await Management.Value.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(settings.RabbitUser)}", permissions)).EnsureSuccessStatusCode();
        return new TestVirtualHost(name);
    }

    /// <summary>What the names of the broker users made for this host start with (RepairDispatch's providers').</summary>
    public string UserPrefix => $"{Name}.";

    /// <summary>Deletes the host, and with it every queue it made, and the users made for it, which outlive it otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        await Management.Value.DeleteAsync($"api/vhosts/{Name}");
        // The management API answered this listing 500 once in a clean-clone run, under the suite's load: asked again
        // until it answers, so that cleaning up does not fail the test it follows.
        var users = default(JsonElement);
        await Eventually.Until(async () =>
        {
            using var response = await Management.Value.GetAsync("api/users");
            if ((int)response.StatusCode >= 500)
            {
                return false;
            }
            users = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, TimeSpan.FromSeconds(30), "RabbitMQ's management API lists its users");
        foreach (var user in users.EnumerateArray().Select(u => u.GetProperty("name").GetString()!).Where(u => u.StartsWith(UserPrefix, StringComparison.Ordinal)))
        {
            await Management.Value.DeleteAsync($"api/users/{Uri.EscapeDataString(user)}");
        }
    }

    /// <summary>A client of RabbitMQ's management API on the tests' broker, as the platform's user.</summary>
    public static HttpClient CreateManagementClient()
    {
        var servers = TestServers.Current;
        return ManagementClient(servers.Settings.RabbitHost, servers.ManagementPort, servers.Settings.RabbitUser, servers.Settings.RabbitPassword);
    }

    internal static HttpClient ManagementClient(string host, int port, string user, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{host}:{port}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }
}
