using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Domain;
using RepairDispatch.Service.RepairJobs;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

/// <summary>The 24-hour callback SLA on a compressed clock: 24 business hours pass in about 4.3 seconds.</summary>
public sealed class CallbackSlaTests : IAsyncLifetime
{
    private const double ClockSpeed = 20_000;
    private static readonly TimeSpan SlaWait = TimeSpan.FromSeconds(60);

    private readonly ConsumedMessages consumed = new();
    private readonly ConcurrentDictionary<string, long> measured = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;
    private MeterListener listener = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create(clockSpeed: ClockSpeed);
        service = await Repair.Start(env, consumed, "--RepairDispatch:SuspensionBreachThreshold=2");
        probe = await BusProbe.Start(env);
        await probe.Observe<ProviderCallbackSlaBreached>();
        await probe.Observe<RepairJobRedispatched>();
        await probe.Observe<RepairJobEscalated>();
        await probe.Observe<ProviderSuspended>();
        await probe.Observe<RepairJobCompleted>();

        var meter = service.Services.GetRequiredService<RepairDispatchMetrics>().Meter;
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var provider = tags.ToArray().FirstOrDefault(t => t.Key == "provider").Value as string;
            measured.AddOrUpdate($"{instrument.Name}|{provider}", value, (_, sum) => sum + value);
        });
        listener.Start();
    }

    public async Task DisposeAsync()
    {
        listener.Dispose();
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task A_never_calls_B_calls_after_its_deadline_C_calls_in_time()
    {
        var region = Repair.Unique("sla");
        var p = Repair.Unique("p");
        // Equal new scores and no open jobs: selection goes by id, so a, b, c in that order.
        var (a, b, c) = ($"{p}-a", $"{p}-b", $"{p}-c");
        foreach (var id in new[] { a, b, c })
        {
            await service.RegisterProvider(id, region);
        }
        await using var queueA = await ProviderQueue.Listen(probe, a);
        await using var queueB = await ProviderQueue.Listen(probe, b);
        await using var queueC = await ProviderQueue.Listen(probe, c);

        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var toA = await queueA.WaitFor(d => d.ClaimId == claim.ClaimId, "the job is dispatched to A first");
        var jobId = toA.JobId;
        Assert.Equal(1, toA.Attempt);

        var toB = await queueB.WaitFor(d => d.JobId == jobId, "A's deadline passes and the job goes to B", (int)SlaWait.TotalSeconds);
        Assert.Equal(2, toB.Attempt);
        var toC = await queueC.WaitFor(d => d.JobId == jobId, "B's deadline passes and the job goes to C", (int)SlaWait.TotalSeconds);
        Assert.Equal(3, toC.Attempt);

        using var providerB = service.As(PlatformRoles.Provider, b);
        using var providerC = service.As(PlatformRoles.Provider, c);
        Assert.True(env.Clock!.GetUtcNow() > toB.CallbackDeadline);
        // B's deadline was acted on: B is told so with the deadline's code, not "not found" and not 204.
        using (var late = await providerB.Post($"/jobs/{jobId}/customer-contacted", new { bookedFor = toB.CallbackDeadline.AddDays(1) }))
        {
            Assert.Equal(nameof(RepairDispatchRefusalCode.CallbackDeadlinePassed), (await late.Problem(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }
        using (var inTime = await providerC.Post($"/jobs/{jobId}/customer-contacted", new { bookedFor = toC.DispatchedAt.AddDays(2) }))
        {
            Assert.Equal(HttpStatusCode.NoContent, inTime.StatusCode);
        }

        await probe.WaitFor<ProviderCallbackSlaBreached>(m => m.JobId == jobId && m.ProviderId == a && m.Attempt == 1, SlaWait, "A's breach");
        await probe.WaitFor<ProviderCallbackSlaBreached>(m => m.JobId == jobId && m.ProviderId == b && m.Attempt == 2, SlaWait, "B's breach");
        await probe.WaitFor<RepairJobRedispatched>(m => m.JobId == jobId && m.PreviousProviderId == b && m.ProviderId == c
            && m.Reason == RedispatchReason.CallbackSlaBreached, SlaWait, "the job moved from B to C");

        var job = await providerC.Get<JobView>($"/jobs/{jobId}");
        Assert.Equal((3, JobStatus.InProgress, true), (job.Attempt, job.Status, job.BookedFor is not null));
        using (var asB = await providerB.GetAsync($"/jobs/{jobId}"))
        {
            await asB.Problem(HttpStatusCode.NotFound);
        }
        // C's call made its deadline moot: it was cancelled, so it can never breach C.
        Assert.Empty(await (await Store.Of(env)).CallbackDeadlines(jobId));

        using (var done = await providerC.Post($"/jobs/{jobId}/complete", new { outcome = "Repaired", report = "Replaced the display cable" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        }
        var completed = await probe.WaitFor<RepairJobCompleted>(m => m.JobId == jobId, SlaWait, "the verified completion is published");
        Assert.Equal((c, claim.ClaimId, Platform.Contracts.Repair.V1.RepairOutcome.Repaired, "Replaced the display cable"), (completed.ProviderId, completed.ClaimId, completed.Outcome, completed.Report));

        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var cardA = await op.Get<ScorecardView>($"/providers/{a}/scorecard");
        var cardB = await op.Get<ScorecardView>($"/providers/{b}/scorecard");
        var cardC = await providerC.Get<ScorecardView>($"/providers/{c}/scorecard");
        Assert.Equal((1, 0, 1, 0, 0), (cardA.JobsDispatched, cardA.OnTimeCallbacks, cardA.Breaches, cardA.Declines, cardA.Completions));
        Assert.Equal((1, 0, 1, 0, 0), (cardB.JobsDispatched, cardB.OnTimeCallbacks, cardB.Breaches, cardB.Declines, cardB.Completions));
        Assert.Equal((1, 1, 0, 0, 1), (cardC.JobsDispatched, cardC.OnTimeCallbacks, cardC.Breaches, cardC.Declines, cardC.Completions));
        Assert.Null(cardA.MedianTimeToCallback);
        Assert.InRange(cardC.MedianTimeToCallback!.Value, TimeSpan.Zero, TimeSpan.FromHours(24));
        Assert.NotNull(cardC.MedianTimeToComplete);
        // QUALITY_SCORE.md: one breach alone scores 40; an on-time call and a completion score 60.
        Assert.Equal(40.0, cardA.QualityScore, 3);
        Assert.Equal(40.0, cardB.QualityScore, 3);
        Assert.Equal(60.0, cardC.QualityScore, 3);

        // B's late call was refused and kept, naming B.
        var refusals = await op.Get<List<System.Text.Json.JsonElement>>("/operations/refusals");
        Assert.Contains(refusals, r => r.GetProperty("code").GetString() == nameof(RepairDispatchRefusalCode.CallbackDeadlinePassed)
            && r.GetProperty("body").GetProperty("providerId").GetString() == b
            && r.GetProperty("body").GetProperty("jobId").GetGuid() == jobId);

        Assert.Equal(1, measured.GetValueOrDefault($"{RepairDispatchMetrics.BreachesName}|{a}"));
        Assert.Equal(1, measured.GetValueOrDefault($"{RepairDispatchMetrics.BreachesName}|{b}"));
        Assert.Equal(1, measured.GetValueOrDefault($"{RepairDispatchMetrics.DispatchedName}|{c}"));
    }

    [Fact]
    public async Task A_job_with_no_provider_left_is_escalated_to_the_platform()
    {
        var region = Repair.Unique("esc");
        var only = Repair.Unique("p");
        await service.RegisterProvider(only, region);
        await using var queue = await ProviderQueue.Listen(probe, only);

        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var dispatched = await queue.WaitFor(d => d.ClaimId == claim.ClaimId, "the job is dispatched to the only provider");

        var escalated = await probe.WaitFor<RepairJobEscalated>(m => m.JobId == dispatched.JobId, SlaWait, "the job is escalated at the deadline");
        Assert.Equal((RepairEscalationReason.NoProviderAvailable, 1, only, claim.ClaimId, claim.BuyerId),
            (escalated.Reason, escalated.Attempts, escalated.LastProviderId, escalated.ClaimId, escalated.BuyerId));
        await probe.WaitFor<ProviderCallbackSlaBreached>(m => m.JobId == dispatched.JobId && m.ProviderId == only, SlaWait, "the breach");

        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var provider = await op.Get<ProviderView>($"/providers/{only}");
        Assert.Equal(0, provider.OpenJobs);
    }

    [Fact]
    public async Task Repeated_breaches_suspend_a_provider_until_an_operator_reactivates_it()
    {
        var region = Repair.Unique("susp");
        var slow = Repair.Unique("p");
        await service.RegisterProvider(slow, region);
        await using var queue = await ProviderQueue.Listen(probe, slow);

        var first = Repair.Claim(region);
        var second = Repair.Claim(region);
        await probe.Publish(first);
        await probe.Publish(second);
        await queue.WaitFor(d => d.ClaimId == first.ClaimId, "the first job is dispatched");
        await queue.WaitFor(d => d.ClaimId == second.ClaimId, "the second job is dispatched");

        var suspended = await probe.WaitFor<ProviderSuspended>(m => m.ProviderId == slow, SlaWait, "two breaches suspend the provider (threshold 2)");
        Assert.Equal((ProviderSuspensionReason.RepeatedCallbackBreaches, 2), (suspended.Reason, suspended.CallbackBreaches));

        using var op = service.As(PlatformRoles.Operator, "operator-1");
        Assert.Equal(ProviderStatus.Suspended, (await op.Get<ProviderView>($"/providers/{slow}")).Status);

        using var reactivated = await op.Post($"/providers/{slow}/reactivate");
        Assert.Equal(ProviderStatus.Active, (await reactivated.Read<ProviderView>()).Status);
    }
}
