using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults;

using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class ServiceDefaultsTests : IAsyncLifetime
{
    private readonly string keys = Path.Combine(Path.GetTempPath(), $"platform-keys-{Guid.NewGuid():N}");
    private TestDatabase database = null!;
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create(migrate: false);
        Environment.SetEnvironmentVariable("PLATFORM_KEYS_DIR", null);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["PLATFORM_KEYS_DIR"] = keys;
        builder.AddPlatformDefaults(new PlatformServiceOptions { ServiceName = "defaults-test", Database = database.Name });
        // Without a relay, an outbox row put in by a test stays: the lag check is what is under test.
        builder.Services.Remove(builder.Services.Single(d => d.ImplementationType == typeof(Platform.EventSourcing.OutboxRelay)));
        app = builder.Build();
        app.UsePlatformDefaults();
        app.MapGet("/whoami", (HttpContext context) => context.GetCaller());
        app.MapGet("/merchants-only", (HttpContext context) =>
            context.GetCaller().Is(PlatformRoles.Merchant) ? Results.Ok() : Results.Problem(statusCode: 403, detail: "Only merchants may call this."));
        app.MapPost("/echo", (EchoRequest request) => Results.Ok(request));
        app.MapGet("/database-away", async (Npgsql.NpgsqlDataSource dataSource) =>
        {
            // Asks for longer than the command may take: what a saturated or unreachable database looks like to a caller.
            await using var command = dataSource.CreateCommand("select pg_sleep(5)");
            command.CommandTimeout = 1;
            await command.ExecuteNonQueryAsync();
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient(new IdempotencyKeys { InnerHandler = new HttpClientHandler() }) { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(keys, recursive: true);
    }

    private HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    [Theory]
    [InlineData("{\"count\": ", "could not be read")]
    [InlineData("{\"count\": \"seven\"}", "$.count")]
    public async Task A_body_the_framework_cannot_read_answers_400_with_what_could_not_be_read(string body, string expected)
    {
        using var issuer = PlatformAuthentication.CreateIssuer(keys);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(PlatformRoles.Buyer, "b"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_answer_in_time_makes_a_503_with_retry_after_not_a_500()
    {
        using var issuer = PlatformAuthentication.CreateIssuer(keys);
        using var response = await client.SendAsync(Get("/database-away", issuer.Issue(PlatformRoles.Buyer, "b")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_endpoint_without_credentials_answers_401()
    {
        using var response = await client.SendAsync(Get("/whoami", null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_from_the_shared_key_ring_names_the_caller()
    {
        using var issuer = PlatformAuthentication.CreateIssuer(keys);
        using var response = await client.SendAsync(Get("/whoami", issuer.Issue(PlatformRoles.Buyer, "buyer-7")));
        response.EnsureSuccessStatusCode();
        var caller = JsonSerializer.Deserialize<Caller>(await response.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(new Caller(PlatformRoles.Buyer, "buyer-7"), caller);
    }

    [Fact]
    public async Task A_token_from_another_key_ring_an_expired_one_and_garbage_are_refused()
    {
        var otherKeys = Path.Combine(Path.GetTempPath(), $"platform-keys-{Guid.NewGuid():N}");
        try
        {
            using var stranger = PlatformAuthentication.CreateIssuer(otherKeys);
            using var issuer = PlatformAuthentication.CreateIssuer(keys);
            foreach (var token in new[] { stranger.Issue(PlatformRoles.Operator, "op"), issuer.Issue(PlatformRoles.Operator, "op", TimeSpan.FromSeconds(-1)), "not-a-token" })
            {
                using var response = await client.SendAsync(Get("/whoami", token));
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }
        finally
        {
            Directory.Delete(otherKeys, recursive: true);
        }
    }

    [Fact]
    public async Task A_caller_in_the_wrong_role_gets_a_problem_with_the_reason()
    {
        using var issuer = PlatformAuthentication.CreateIssuer(keys);
        using var response = await client.SendAsync(Get("/merchants-only", issuer.Issue(PlatformRoles.Buyer, "b")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Only merchants", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_is_the_database_alone_and_the_report_adds_the_bus_and_the_outbox()
    {
        using var live = await client.GetAsync(Extensions.LivePath);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await Eventually.Until(async () =>
        {
            using var ready = await client.GetAsync(Extensions.ReadyPath);
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the service is ready");
        Assert.Equal([PlatformHealth.DatabaseCheck], await CheckNames(Extensions.ReadyPath));
        Assert.Equal([PlatformHealth.BusCheck, PlatformHealth.DatabaseCheck, PlatformHealth.OutboxCheck], (await CheckNames(PlatformHealth.ReportPath)).Order());
    }

    [Fact]
    public async Task A_due_message_waiting_longer_than_the_bound_degrades_the_report_and_its_gauge_and_readiness_stays_up()
    {
        await using (var command = database.DataSource.CreateCommand(
            "insert into outbox (id, due_at, scheduled, message_type, body, headers, created_at) values ($1, now() - interval '5 minutes', false, 'unknown-type', '{}', '{}', now())"))
        {
            command.Parameters.Add(new() { Value = Guid.NewGuid() });
            await command.ExecuteNonQueryAsync();
        }

        using (var ready = await client.GetAsync(Extensions.ReadyPath))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        using var report = await client.GetAsync(PlatformHealth.ReportPath);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var body = JsonDocument.Parse(await report.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        var outbox = body.GetProperty("checks").GetProperty(PlatformHealth.OutboxCheck);
        Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
        Assert.StartsWith("outbox lag 30", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);

        // The same lag as a gauge, from the checks the publisher runs on its own timer.
        var lag = 0.0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == PlatformHealth.OutboxLagName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => lag = value);
        listener.Start();
        await Eventually.Until(() =>
        {
            listener.RecordObservableInstruments();
            return lag >= 300;
        }, TimeSpan.FromSeconds(30), "the outbox lag gauge shows the row's five minutes");
    }

    private async Task<List<string>> CheckNames(string path)
    {
        using var response = await client.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").EnumerateObject().Select(p => p.Name).ToList();
    }
}

public sealed record EchoRequest(int Count);
