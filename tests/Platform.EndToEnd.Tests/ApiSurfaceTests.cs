using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Every operation each service publishes in its OpenAPI document, so a new endpoint is covered the
/// day it is added: no caller or a forged one gets 401; hostile input from any role gets a 4xx
/// problem, never a 5xx; SQL and path strings are data, never executed.
/// </summary>
public sealed class ApiSurfaceTests : IAsyncLifetime
{
    private static readonly string[] Variables = ["order", "warranty", "repairdispatch", "arbitration"];
    private Dictionary<string, RunningService> services = null!;
    private TestEnvironment env = null!;

    public static TheoryData<string> Services => [.. Variables];

    /// <summary>What an attacker or a broken client sends in place of ids.</summary>
    private static readonly string[] HostileIds =
    [
        "'; drop table events; --",
        "../../../../etc/passwd",
        "%00",
        new string('9', 3000),
        "00000000-0000-0000-0000-000000000000",
    ];

    /// <summary>Bodies a JSON API must refuse with a reason: empty, broken, wrongly typed, hostile, oversized.</summary>
    private static readonly string?[] HostileBodies =
    [
        null,
        "{",
        "[]",
        "\"just a string\"",
        """{"orderId": 12, "lineId": {}, "fault": 3.5, "remedyAsked": [], "reason": false, "capacity": "many", "amount": "NaN"}""",
        """{"orderId": "'; drop table events; --", "lineId": "../../etc/passwd", "fault": "QualityFault", "remedyAsked": "Return", "faultDescription": "x", "statement": "x", "reason": "x", "rationale": "x"}""",
        "{\"statement\": \"" + new string('a', 200_000) + "\"}",
    ];

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        services = await PlatformServices.Start(env);
    }

    public async Task DisposeAsync()
    {
        await PlatformServices.Stop(services.Values);
        await env.DisposeAsync();
    }

    private async Task<List<(HttpMethod Method, string Path)>> Operations(string service) =>
        [.. (await OpenApiOperations.Read(services[service].As(PlatformRoles.Operator, "op-1")))
            .Select(operation => operation.Split(' ', 2))
            .Select(parts => (new HttpMethod(parts[0]), parts[1]))];

    private static string Fill(string path, string value) =>
        System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Uri.EscapeDataString(value));

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null && method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return request;
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_operation_refuses_a_caller_without_credentials_or_with_a_forged_token(string service)
    {
        var operations = await Operations(service);
        Assert.True(operations.Count >= 2, $"{service} publishes {operations.Count} operations in its OpenAPI document");
        var client = services[service].Anonymous();
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"role":"operator","sub":"op-1"}"""));
        foreach (var (method, path) in operations)
        {
            foreach (var token in new[] { null, forged, "" })
            {
                using var response = await client.SendAsync(Request(method, Fill(path, Guid.NewGuid().ToString()), token, "{}"));
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized,
                    $"{service} {method} {path} with token '{token}' answered {(int)response.StatusCode}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Hostile_input_from_every_role_on_every_operation_gets_a_4xx_never_a_5xx_and_nothing_is_executed(string service)
    {
        var operations = await Operations(service);
        var failures = new List<string>();
        foreach (var role in PlatformRoles.All)
        {
            var client = services[service].Anonymous();
            var token = await env.Tokens.TokenFor(role, $"{role}-hostile", service);
            foreach (var (method, path) in operations)
            {
                foreach (var id in HostileIds.Prepend(Guid.NewGuid().ToString()))
                {
                    foreach (var body in HostileBodies)
                    {
                        using var response = await client.SendAsync(Request(method, Fill(path, id), token, body));
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{role} {method} {Fill(path, id)[..Math.Min(80, Fill(path, id).Length)]} body {body?[..Math.Min(40, body.Length)]}: {(int)response.StatusCode}");
                        }
                        else if ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        {
                            failures.Add($"{role} {method} {path}: {(int)response.StatusCode} as {response.Content.Headers.ContentType?.MediaType}, not problem details");
                        }
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} answers broke the rule:\n{string.Join('\n', failures.Take(30))}");
        var database = await env.Database(service);
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from information_schema.tables where table_name = 'mt_events'"));
    }
}
