using System.Net;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Service.RepairJobs;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

/// <summary>The service stopped between a dispatch and its deadline, and started again after it; providers seeded from configuration.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private const double ClockSpeed = 10_000;

    private readonly ConsumedMessages consumed = new();
    private readonly string region = Repair.Unique("rs");
    private readonly string a;
    private readonly string b;
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;
    private Store store = null!;

    public RestartTests()
    {
        var p = Repair.Unique("p");
        (a, b) = ($"{p}-a", $"{p}-b");
    }

    private string[] Seeds =>
    [
        $"--RepairDispatch:Providers:0:Id={a}", $"--RepairDispatch:Providers:0:Regions:0={region}",
        "--RepairDispatch:Providers:0:Categories:0=phone", "--RepairDispatch:Providers:0:Capacity=3",
        $"--RepairDispatch:Providers:1:Id={b}", $"--RepairDispatch:Providers:1:Regions:0={region}",
        "--RepairDispatch:Providers:1:Categories:0=phone", "--RepairDispatch:Providers:1:Capacity=3",
    ];

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create(clockSpeed: ClockSpeed);
        service = await Repair.Start(env, consumed, Seeds);
        probe = await BusProbe.Start(env);
        store = await Store.Of(env);
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_service_is_down_takes_effect_once_when_it_is_back()
    {
        using (var op = service.As(PlatformRoles.Operator, "operator-1"))
        {
            var seeded = await op.Get<List<ProviderView>>("/providers");
            Assert.Equal([a, b], seeded.Select(s => s.ProviderId).Order(StringComparer.Ordinal));
        }
        await using var queueA = await ProviderQueue.Listen(probe, a);
        await using var queueB = await ProviderQueue.Listen(probe, b);
        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var toA = await queueA.WaitFor(d => d.ClaimId == claim.ClaimId, "the job goes to A");
        var deadline = Assert.Single(await store.CallbackDeadlines(toA.JobId));

        await service.DisposeAsync();
        Assert.True(env.Clock!.GetUtcNow() < deadline.DueAt, "the service stopped before the deadline, or this test proves nothing");
        await Eventually.Until(() => env.Clock.GetUtcNow() > deadline.DueAt.AddHours(1), TimeSpan.FromSeconds(60), "the deadline passes while the service is down");
        Assert.Single(await store.CallbackDeadlines(toA.JobId), d => d.Id == deadline.Id);
        Assert.Empty(queueB.Received);

        // Started again with the same configuration: the seeds are registered already, and the overdue deadline goes out.
        service = await Repair.Start(env, consumed, Seeds);
        var toB = await queueB.WaitFor(d => d.JobId == toA.JobId, "the overdue deadline moves the job to B");
        Assert.Equal(2, toB.Attempt);
        using (var contacted = await service.As(PlatformRoles.Provider, b).Post($"/jobs/{toA.JobId}/customer-contacted", new { bookedFor = toB.DispatchedAt.AddDays(1) }))
        {
            Assert.Equal(HttpStatusCode.NoContent, contacted.StatusCode);
        }
        await consumed.WaitFor<ProviderCallbackDeadline>(deadline.Id);

        var streamId = RepairJobStream.StreamId(toA.JobId);
        Assert.Equal(1, await store.Events(streamId, "repairdispatch.provider-callback-sla-breached"));
        Assert.Equal(2, await store.Events(streamId, "repairdispatch.repair-job-dispatched"));
        Assert.Empty(await store.CallbackDeadlines(toA.JobId));
        Assert.Single(queueB.Received);
        Assert.Equal(1, await store.Events($"provider-{a}", "repairdispatch.provider-registered"));
        Assert.Equal(1, await store.Events($"provider-{b}", "repairdispatch.provider-registered"));
    }
}
