using System.Net.Http.Headers;
using System.Text;
using Platform.ServiceDefaults;

namespace Platform.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own, through the management API: a test's services see only
/// each other's messages, and deleting the host afterwards removes every queue it made.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private static readonly HttpClient Management = CreateManagementClient();

    private TestVirtualHost(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static async Task<TestVirtualHost> Create()
    {
        var name = $"test-{Guid.NewGuid():N}";
        (await Management.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var settings = TestDatabase.Settings;
        using var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await Management.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(settings.RabbitUser)}", permissions)).EnsureSuccessStatusCode();
        return new TestVirtualHost(name);
    }

    public async ValueTask DisposeAsync() => await Management.DeleteAsync($"api/vhosts/{Name}");

    /// <summary>A client of RabbitMQ's management API on the platform's broker, as the platform's user.</summary>
    public static HttpClient CreateManagementClient()
    {
        var settings = TestDatabase.Settings;
        var port = Environment.GetEnvironmentVariable("PLATFORM_RABBITMQ_MANAGEMENT_PORT") ?? "15672";
        var client = new HttpClient { BaseAddress = new Uri($"http://{settings.RabbitHost}:{port}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.RabbitUser}:{settings.RabbitPassword}")));
        return client;
    }
}
