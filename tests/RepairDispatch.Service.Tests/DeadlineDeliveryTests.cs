using System.Net;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Tests;

/// <summary>Deadlines delivered twice, late, or for an attempt that is over: one effect at most.</summary>
public sealed class DeadlineDeliveryTests : IAsyncLifetime
{
    private const double ClockSpeed = 10_000;

    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;
    private Store store = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create(clockSpeed: ClockSpeed);
        service = await Repair.Start(env, consumed);
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
    public async Task A_deadline_delivered_twice_has_one_effect_and_a_stale_one_none()
    {
        var region = Repair.Unique("dd");
        var p = Repair.Unique("p");
        var (a, b) = ($"{p}-a", $"{p}-b");
        await service.RegisterProvider(a, region);
        await service.RegisterProvider(b, region);
        await using var queueA = await ProviderQueue.Listen(probe, a);
        await using var queueB = await ProviderQueue.Listen(probe, b);

        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var toA = await queueA.WaitFor(d => d.ClaimId == claim.ClaimId, "the job goes to A");
        var deadline = Assert.Single(await store.CallbackDeadlines(toA.JobId));
        var toB = await queueB.WaitFor(d => d.JobId == toA.JobId, "A's deadline moves the job to B", seconds: 60);
        await consumed.WaitFor<ProviderCallbackDeadline>(deadline.Id);
        var streamId = RepairJobStream.StreamId(toA.JobId);
        var before = await store.EventCount(streamId);

        // While B's attempt is open: the relay's message again, under its own MessageId (a crash
        // between publish and delete does this)...
        var message = new ProviderCallbackDeadline { JobId = toA.JobId, Attempt = 1, ProviderId = a, OrderId = toA.OrderId, DueAt = toA.CallbackDeadline };
        await probe.Publish(message, deadline.Id);
        await consumed.WaitFor<ProviderCallbackDeadline>(deadline.Id, times: 2);
        // ...and a copy under a new id, for the attempt that is over.
        var stale = Guid.NewGuid();
        await probe.Publish(message, stale);
        await consumed.WaitFor<ProviderCallbackDeadline>(stale);
        Assert.True(env.Clock!.GetUtcNow() < toB.CallbackDeadline, "B's own deadline had not come yet, or this test proves nothing");

        Assert.Equal(before, await store.EventCount(streamId));
        Assert.Equal(1, await store.Events(streamId, "repairdispatch.provider-callback-sla-breached"));
        Assert.Equal(1, await store.Events($"provider-{a}", "repairdispatch.provider-callback-breach-recorded"));
        Assert.Single(queueB.Received, d => d.JobId == toA.JobId);
        // The job is still with B, whose attempt is untouched.
        using (var contacted = await service.As(PlatformRoles.Provider, b).Post($"/jobs/{toA.JobId}/customer-contacted", new { bookedFor = toB.DispatchedAt.AddDays(1) }))
        {
            Assert.Equal(HttpStatusCode.NoContent, contacted.StatusCode);
        }
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        Assert.Equal(1, (await op.Get<ReadModels.ScorecardView>($"/providers/{a}/scorecard")).Breaches);
    }

    [Fact]
    public async Task A_deadline_that_arrives_before_its_time_waits_for_it()
    {
        var region = Repair.Unique("de");
        var p = Repair.Unique("p");
        var (a, b) = ($"{p}-a", $"{p}-b");
        await service.RegisterProvider(a, region);
        await service.RegisterProvider(b, region);
        await using var queueA = await ProviderQueue.Listen(probe, a);
        await using var queueB = await ProviderQueue.Listen(probe, b);
        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var toA = await queueA.WaitFor(d => d.ClaimId == claim.ClaimId, "the job goes to A");
        var streamId = RepairJobStream.StreamId(toA.JobId);

        var early = Guid.NewGuid();
        await probe.Publish(new ProviderCallbackDeadline { JobId = toA.JobId, Attempt = 1, ProviderId = a, OrderId = toA.OrderId, DueAt = toA.DispatchedAt }, early);
        await consumed.WaitFor<ProviderCallbackDeadline>(early);

        Assert.True(env.Clock!.GetUtcNow() < toA.CallbackDeadline, "the early deadline was handled before the real one was due");
        Assert.Equal(0, await store.Events(streamId, "repairdispatch.provider-callback-sla-breached"));
        Assert.Empty(queueB.Received);
        // It was put back for the real deadline, beside the one scheduled at dispatch; the first to come breaches, the other finds the attempt over.
        var waiting = await store.CallbackDeadlines(toA.JobId);
        Assert.Equal([1, 1], waiting.Select(d => d.Attempt));
        foreach (var (id, _, _) in waiting)
        {
            await consumed.WaitFor<ProviderCallbackDeadline>(id);
        }
        await queueB.WaitFor(d => d.JobId == toA.JobId, "the real deadline moved the job to B");
        Assert.Single(queueB.Received, d => d.JobId == toA.JobId);
        Assert.Equal(1, await store.Events(streamId, "repairdispatch.provider-callback-sla-breached"));
    }
}
