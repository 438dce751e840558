using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Platform.ServiceDefaults;
using Platform.Simulator;
using Platform.Testing;
using Xunit.Abstractions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The four services as operating-system processes of their own, as they run in production, with the simulator
/// playing the marketplace around them: every flow settles, and the services' APIs report what the scenario
/// implies, story by story.
/// </summary>
public sealed class ProcessFlowTests(ITestOutputHelper output) : IAsyncLifetime
{
    // As deploy/run.sh: a business day passes in 4.3 s, the providers' 24 hours leave seconds to spare on a
    // loaded machine, and the ten-day automatic confirmation, the slowest story, takes 43 s.
    private const double ClockSpeed = 20_000;
    private const int Orders = 12;
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RunWithin = TimeSpan.FromSeconds(100);

    private static readonly (string Name, string Assembly, string[] Settings)[] Services =
    [
        ("order", "Order.Service.dll", []),
        ("warranty", "Warranty.Service.dll", []),
        ("repairdispatch", "RepairDispatch.Service.dll", []),
        ("arbitration", "Arbitration.Service.dll", ["--Arbitration:Arbitrators:0=arb-1", "--Arbitration:Arbitrators:1=arb-2"]),
    ];

    private readonly ConcurrentDictionary<string, ServiceProcess> running = new();
    private readonly List<HttpClient> clients = [];
    private TestEnvironment env = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create(clockSpeed: ClockSpeed);
        // The environment creates each database on first use, one at a time; the processes then start together.
        var arguments = new Dictionary<string, string[]>();
        foreach (var (name, _, settings) in Services)
        {
            arguments[name] = [.. await env.Arguments(name), .. settings];
        }
        await Task.WhenAll(Services.Select(async service =>
            running[service.Name] = await ServiceProcess.Start(service.Assembly, arguments[service.Name], ReadyWithin)));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
        foreach (var service in running.Values)
        {
            await service.DisposeAsync();
        }
        await env.DisposeAsync();
    }

    [Fact]
    public async Task The_simulated_marketplace_settles_and_the_services_report_what_its_scenario_implies()
    {
        var options = new SimulationOptions
        {
            Orders = Orders,
            Seed = 12,
            Timeout = RunWithin,
            OrderUrl = running["order"].Address,
            WarrantyUrl = running["warranty"].Address,
            RepairDispatchUrl = running["repairdispatch"].Address,
            ArbitrationUrl = running["arbitration"].Address,
            Settings = TestDatabase.Settings with { RabbitVirtualHost = env.VirtualHost.Name },
            Tokens = env.Tokens,
            Clock = env.TimeProvider,
        };
        using var progress = new TestOutputWriter(output);

        var summary = await Simulation.Run(options, progress, CancellationToken.None);

        summary.Print(progress);
        Assert.True(summary.Agrees, $"{summary}\n{ServiceOutput()}");
        // Twelve orders play each story once (a brand repair in each of three regions): the figures below are the
        // scenario's, asserted here rather than only through the simulator's own checks.
        Assert.Equal((Orders, 11, 1), (summary.OrdersCompleted, summary.CompletedByBuyer, summary.CompletedBySystem));
        Assert.Equal(Orders, summary.Warranties);
        Assert.Equal((1, 1), (summary.EntriesReopened, summary.ExtendedWarrantiesCancelled));
        Assert.Equal(11, summary.ClaimsFiled);
        Assert.Equal(3, summary.Outcome(Outcomes.AcceptedByMerchant));
        Assert.Equal(1, summary.AcceptedBySilence);
        Assert.Equal(1, summary.Outcome(Outcomes.NotBuyer));
        Assert.Equal(1, summary.Outcome(Outcomes.AccidentalDamageNotCovered));
        Assert.Equal(3, summary.Outcome(Outcomes.Repaired));
        Assert.Equal(1, summary.Outcome(Outcomes.RuledForRespondent));
        Assert.Equal(2, summary.Outcome(Outcomes.RuledForBuyer));
        Assert.Equal((4, 3, 1), (summary.RepairJobs, summary.JobsCompleted, summary.Escalations));
        Assert.True(summary.SlaBreaches >= 3, $"a late caller and two that never call breach 3 times at least, not {summary.SlaBreaches}");
        Assert.True(summary.Redispatches >= 1, "Sichuan's job moves to its second provider");
        Assert.Equal((3, 3, 1, 2), (summary.Cases, summary.Rulings, summary.DefaultRulings, summary.ArbitratorRulings));

        // The environment is the run's alone, so the services' own lists must hold exactly what the run made.
        var arbitration = Client("arbitration", PlatformRoles.Arbitrator, "arb-1");
        var ruled = (await Json(arbitration, "/cases?status=Ruled")).GetProperty("items");
        Assert.Equal(3, ruled.GetArrayLength());
        Assert.Contains(ruled.EnumerateArray(), c => c.GetProperty("origin").GetString() == "RepairJobEscalated" && c.GetProperty("defaultRuling").GetBoolean() is false);
        Assert.Contains(ruled.EnumerateArray(), c => c.GetProperty("origin").GetString() == "ClaimEscalated" && c.GetProperty("defaultRuling").GetBoolean());
        Assert.All(ruled.EnumerateArray(), c => Assert.StartsWith("arb-", c.GetProperty("arbitratorId").GetString(), StringComparison.Ordinal));

        var repair = Client("repairdispatch", PlatformRoles.Operator, "ops-test");
        var providers = await Json(repair, "/providers");
        Assert.Equal(summary.ProviderIds.Order(StringComparer.Ordinal),
            providers.EnumerateArray().Select(p => p.GetProperty("providerId").GetString()!).Order(StringComparer.Ordinal));
        var cards = new List<JsonElement>();
        foreach (var id in summary.ProviderIds)
        {
            cards.Add(await Json(repair, $"/providers/{id}/scorecard"));
        }
        Assert.Equal(summary.SlaBreaches, cards.Sum(c => c.GetProperty("breaches").GetInt32()));
        var neverCalls = Assert.Single(cards, c => c.GetProperty("providerId").GetString()!.EndsWith("-sc-1", StringComparison.Ordinal));
        Assert.Equal((1, 1, 0), (neverCalls.GetProperty("jobsDispatched").GetInt32(), neverCalls.GetProperty("breaches").GetInt32(), neverCalls.GetProperty("completions").GetInt32()));

        var orders = Client("order", PlatformRoles.CustomerService, "cs-test");
        var systemConfirmed = 0;
        foreach (var orderId in summary.OrderIds)
        {
            var order = await Json(orders, $"/orders/{orderId}");
            Assert.Equal("Completed", order.GetProperty("status").GetString());
            systemConfirmed += order.GetProperty("completion").GetProperty("confirmedBy").GetString() == "System" ? 1 : 0;
        }
        Assert.Equal(1, systemConfirmed);
        Assert.All(running, service => Assert.False(service.Value.HasExited, $"{service.Key} exited:\n{service.Value.Output}"));
    }

    private HttpClient Client(string service, string role, string subject)
    {
        var bearer = env.Tokens.Bearer(role, subject, service);
        bearer.InnerHandler = new HttpClientHandler();
        var client = new HttpClient(new IdempotencyKeys { InnerHandler = bearer }) { BaseAddress = running[service].Address };
        clients.Add(client);
        return client;
    }

    private static async Task<JsonElement> Json(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private string ServiceOutput() =>
        string.Join("\n", running.Select(s => $"--- {s.Key} (last lines)\n{string.Join('\n', s.Value.Output.Split('\n').TakeLast(30))}"));
}
