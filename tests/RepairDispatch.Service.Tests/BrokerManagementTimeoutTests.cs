using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// RabbitMQ's management API, where each provider's broker user is made, answers within
/// RepairDispatch:BrokerUsers:Timeout or is treated as away: here one second, against an API that never answers.
/// </summary>
public sealed class BrokerManagementTimeoutTests : IAsyncLifetime
{
    private readonly ConsumedMessages consumed = new();
    // Takes connections (the kernel completes them) and never answers a request: a management API that hangs.
    private readonly TcpListener silent = new(IPAddress.Loopback, 0);
    private TestEnvironment env = null!;
    private RunningService service = null!;

    public async Task InitializeAsync()
    {
        silent.Start();
        env = await TestEnvironment.Create();
        service = await Repair.Start(env, consumed,
            $"--RepairDispatch:BrokerUsers:ManagementUrl=http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/",
            "--RepairDispatch:BrokerUsers:Timeout=00:00:01");
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await env.DisposeAsync();
        silent.Dispose();
    }

    [Fact]
    public async Task A_registration_waits_on_a_hanging_management_api_only_the_configured_time_and_answers_503()
    {
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var id = Repair.Unique("pt");
        // The caller's token and the service's first request are paid for before the clock starts.
        using (var warm = await op.GetAsync($"/providers/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, warm.StatusCode);
        }
        var timer = Stopwatch.StartNew();

        using var response = await op.Post("/providers", new { id, regions = new[] { Repair.Unique("tr") }, categories = new[] { "phone" }, capacity = 1 },
            $"register-{id}");

        timer.Stop();
        var problem = await response.Problem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("broker user could not be brought up to date", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The default, 10 s, is a floor on the answer's time; the configured second leaves a loaded machine 7 s of slack under 8.
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(8), $"answered after {timer.Elapsed}, not about the configured second (the default is 10 s)");
    }
}
