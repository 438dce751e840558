using System.Net;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Domain;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// The report owed on a mailed-in device (docs/domain.md "What a provider reports"): a deadline that comes early
/// waits for its time, and a report after the time is refused with the deadline's code, the job escalated once.
/// </summary>
public sealed class FeedbackDeadlineTests : IAsyncLifetime
{
    // A day's feedback period passes in under nine seconds: long enough to act before it, short enough to wait for.
    private const double ClockSpeed = 10_000;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;
    private Store store = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create(clockSpeed: ClockSpeed);
        service = await Repair.Start(env, consumed, "--RepairDispatch:DeviceFeedbackDeadline=1.00:00:00");
        probe = await BusProbe.Start(env);
        await probe.Observe<RepairJobEscalated>();
        store = await Store.Of(env);
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task A_feedback_deadline_that_arrives_before_its_time_is_scheduled_again_for_it()
    {
        var (job, provider) = await JobWithDeviceHeld("fe");
        var due = Assert.Single(await store.FeedbackDueTimesCarried(job.JobId));

        var early = Guid.NewGuid();
        await probe.Publish(new DeviceFeedbackDeadline
        {
            JobId = job.JobId, Attempt = 1, ProviderId = provider, OrderId = job.OrderId, DeviceReceivedAt = env.Clock!.GetUtcNow(), DueAt = due,
        }, early);
        await consumed.WaitFor<DeviceFeedbackDeadline>(early);

        Assert.True(env.Clock.GetUtcNow() < due, "the early deadline was handled before the real one was due, or this test proves nothing");
        Assert.Equal(0, await store.Events(RepairJobStream.StreamId(job.JobId), "repairdispatch.repair-job-escalated"));
        // Put back for the due time, beside the one scheduled at receipt: dropped, the job would never escalate without it.
        Assert.Equal([due, due], await store.FeedbackDueTimesCarried(job.JobId));

        var escalated = await probe.WaitFor<RepairJobEscalated>(m => m.JobId == job.JobId, Wait, "the job escalates at the due time");
        Assert.Equal(RepairEscalationReason.DeviceFeedbackOverdue, escalated.Reason);
        await Eventually.Until(async () => (await store.FeedbackDeadlines(job.JobId)).Count == 0, Wait, "both deadlines were handled");
        Assert.Equal(1, await store.Events(RepairJobStream.StreamId(job.JobId), "repairdispatch.repair-job-escalated"));
    }

    [Fact]
    public async Task A_report_after_the_feedback_deadline_is_refused_with_its_code_and_the_job_escalated_once()
    {
        var (job, provider) = await JobWithDeviceHeld("fl");
        var due = Assert.Single(await store.FeedbackDeadlines(job.JobId)).DueAt;
        await Eventually.Until(() => env.Clock!.GetUtcNow() > due, Wait, "the feedback period passes");

        using var client = service.As(PlatformRoles.Provider, provider);
        using (var late = await client.Post($"/jobs/{job.JobId}/progress", new { progress = "Still waiting for the part" }))
        {
            Assert.Equal(nameof(RepairDispatchRefusalCode.FeedbackDeadlinePassed), (await late.Problem(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }

        var escalated = await probe.WaitFor<RepairJobEscalated>(m => m.JobId == job.JobId, Wait, "the job is escalated to the platform");
        Assert.Equal(RepairEscalationReason.DeviceFeedbackOverdue, escalated.Reason);
        await Eventually.Until(async () => (await store.FeedbackDeadlines(job.JobId)).Count == 0, Wait, "the deadline was handled or cancelled");
        Assert.Equal(1, await store.Events(RepairJobStream.StreamId(job.JobId), "repairdispatch.repair-job-escalated"));
        Assert.Equal(JobStatus.Escalated, (await client.Get<JobView>($"/jobs/{job.JobId}")).Status);
    }

    private async Task<(RepairJobDispatched Job, string Provider)> JobWithDeviceHeld(string prefix)
    {
        var region = Repair.Unique(prefix);
        var provider = Repair.Unique("p");
        await service.RegisterProvider(provider, region);
        await using var queue = await ProviderQueue.Listen(probe, provider);
        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var job = await queue.WaitFor(d => d.ClaimId == claim.ClaimId, "the job is dispatched");
        using var client = service.As(PlatformRoles.Provider, provider);
        using (var contacted = await client.Post($"/jobs/{job.JobId}/customer-contacted", new { bookedFor = job.DispatchedAt.AddDays(1) }))
        {
            Assert.Equal(HttpStatusCode.NoContent, contacted.StatusCode);
        }
        using (var received = await client.Post($"/jobs/{job.JobId}/device-received"))
        {
            Assert.Equal(HttpStatusCode.NoContent, received.StatusCode);
        }
        return (job, provider);
    }
}
