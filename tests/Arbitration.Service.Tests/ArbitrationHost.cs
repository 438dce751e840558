using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Arbitration.Service;
using Arbitration.Service.ReadModels;
using Arbitration.Service.Views;
using Platform.Testing;

namespace Arbitration.Service.Tests;

/// <summary>
/// One environment, one running Arbitration service and one bus probe, shared by the tests of a
/// class (xunit's class fixture): starting them is the slow part, and every test uses ids of its own
/// so that tests do not see each other's cases.
/// </summary>
public abstract class ArbitrationHost(double clockSpeed, params string[] settings) : IAsyncLifetime
{
    public TestEnvironment Env { get; private set; } = null!;
    public RunningService Service { get; private set; } = null!;
    public BusProbe Probe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Env = await TestEnvironment.Create(clockSpeed);
        Service = await RunningService.Start(args => ArbitrationService.Create(args), Env, ArbitrationService.Name,
            ["--Arbitration:Arbitrators:0=arb-1", "--Arbitration:Arbitrators:1=arb-2", .. settings]);
        Probe = await BusProbe.Start(Env);
        await Probe.Observe<Platform.Contracts.Arbitration.V1.CaseOpened>();
        await Probe.Observe<Platform.Contracts.Arbitration.V1.EvidenceSubmitted>();
        await Probe.Observe<Platform.Contracts.Arbitration.V1.RulingIssued>();
        await Probe.Observe<Platform.Contracts.Payments.V1.CompensationInstructed>();
    }

    public async Task DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Service.DisposeAsync();
        await Env.DisposeAsync();
    }
}

/// <summary>Real time: no respondent deadline passes during a test.</summary>
public sealed class RealTimeHost() : ArbitrationHost(clockSpeed: 1);

/// <summary>
/// 40,000 times real time: the 72-hour respondent deadline passes in about 6.5 seconds, long enough for a merchant who
/// answers at once to be in time on two cores shared with a build (at 100,000 times, 2.6 s, one such run was late).
/// </summary>
public sealed class CompressedClockHost() : ArbitrationHost(clockSpeed: 40_000);

/// <summary>
/// 100,000 times real time with a 10-day respondent deadline: about 8.6 seconds, time enough to take
/// a case's own deadline message out of the outbox before it falls due.
/// </summary>
public sealed class TenDayDeadlineHost() : ArbitrationHost(clockSpeed: 100_000, "--Arbitration:RespondentDeadline=10.00:00:00");

/// <summary>
/// 100,000 times real time with a 30-day respondent deadline: cases pass the 7 days after which
/// they are stale (6 seconds) before a default ruling settles them.
/// </summary>
public sealed class LongDeadlineHost() : ArbitrationHost(clockSpeed: 100_000, "--Arbitration:RespondentDeadline=30.00:00:00");

/// <summary>The tests of a class share their host; this gives them its parts and the helpers they all use.</summary>
public abstract class ArbitrationTests<THost>(THost host) : IClassFixture<THost> where THost : ArbitrationHost
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    protected TestEnvironment Env => host.Env;
    protected RunningService Service => host.Service;
    protected BusProbe Probe => host.Probe;

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the case can be read by an arbitrator, and returns it.</summary>
    protected async Task<CaseView> CaseOpened(Guid caseId)
    {
        using var arbitrator = Service.As("arbitrator", "arb-reader");
        CaseView? view = null;
        await Eventually.Until(async () =>
        {
            using var response = await arbitrator.GetAsync($"/cases/{caseId}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
            view = await Read<CaseView>(response);
            return true;
        }, Timeout, $"case {caseId} is opened");
        return view!;
    }

    /// <summary>Every case of GET /cases with these query parameters, following the cursors; <paramref name="between"/> runs between pages.</summary>
    protected static Task<List<CaseListItem>> ListCases(HttpClient client, string query, Func<Task>? between = null) =>
        Worklists.All<CaseListItem>(client, $"/cases?{query}", Json, between);

    protected static async Task<T> Read<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    protected static Task<HttpResponseMessage> Post(HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Json);

    /// <summary>Asserts a problem-details answer with the status, and returns its body.</summary>
    protected static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
