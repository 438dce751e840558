using System.Net;
using Platform.Contracts.Repair.V1;
using Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Platform.Testing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Features.ProviderReports;
using RepairDispatch.Service.RepairJobs;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

/// <summary>Opening and dispatching jobs, and providers working them by message and by HTTP, on a real-time clock.</summary>
public sealed class DispatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly string ReportsQueue = ProviderReportConsumer.Queue;

    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;
    private Store store = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        service = await Repair.Start(env, consumed);
        probe = await BusProbe.Start(env);
        store = await Store.Of(env);
        await probe.Observe<RepairJobOpened>();
        await probe.Observe<RepairJobRedispatched>();
        await probe.Observe<RepairJobCompleted>();
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task An_approved_repair_claim_reaches_the_providers_queue_with_its_deadline_in_the_database()
    {
        var region = Repair.Unique("gd");
        var provider = Repair.Unique("p");
        await service.RegisterProvider(provider, region);
        await probe.ObserveQueue<RepairJobDispatched>($"repair-provider-{provider}");

        var claim = Repair.Claim(region);
        var first = Guid.NewGuid();
        await probe.Publish(claim, first);
        var dispatched = await probe.WaitFor<RepairJobDispatched>(m => m.ClaimId == claim.ClaimId, Wait, "the dispatch reaches the provider's queue");

        Assert.Equal(NameBasedIds.JobForClaim(claim.ClaimId), dispatched.JobId);
        Assert.Equal((provider, 1, claim.OrderId, claim.LineId, claim.Title, claim.Category, RepairCostBearer.Brand),
            (dispatched.ProviderId, dispatched.Attempt, dispatched.OrderId, dispatched.LineId, dispatched.Title, dispatched.Category, dispatched.CostBearer));
        Assert.Equal(dispatched.DispatchedAt + TimeSpan.FromHours(24), dispatched.CallbackDeadline);
        Assert.DoesNotContain(claim.ShippingRegion, dispatched.BuyerContactReference);
        var deadline = Assert.Single(await store.CallbackDeadlines(dispatched.JobId));
        Assert.Equal(1, deadline.Attempt);
        Assert.True((deadline.DueAt - dispatched.CallbackDeadline).Duration() < TimeSpan.FromMilliseconds(1), $"{deadline.DueAt:O} vs {dispatched.CallbackDeadline:O}");
        await probe.WaitFor<RepairJobOpened>(m => m.JobId == dispatched.JobId && m.ClaimId == claim.ClaimId, Wait, "the job's opening is published");

        // The Warranty service sends the claim again, under a new message id: the same job, nothing more. The job is
        // opened without being read first, so this fails its first commit and is decided again on the job as loaded.
        var resent = Guid.NewGuid();
        await probe.Publish(claim, resent);
        await consumed.WaitFor<ClaimApproved>(resent);
        // And the first message delivered again, as after a lost acknowledgement: the inbox finds it, nothing more.
        await probe.Publish(claim, first);
        await consumed.WaitFor<ClaimApproved>(first, times: 2);
        Assert.Equal(2, await store.EventCount(RepairJobStream.StreamId(dispatched.JobId)));
        Assert.Single(await store.CallbackDeadlines(dispatched.JobId));
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        Assert.Equal(1, (await op.Get<ProviderView>($"/providers/{provider}")).OpenJobs);
    }

    [Theory]
    [InlineData("repairdispatch-claim-approved", "Platform.Contracts.Warranty.V1:ClaimApproved")]
    [InlineData("repairdispatch-ruling-issued", "Platform.Contracts.Arbitration.V1:RulingIssued")]
    [InlineData("repairdispatch-provider-callback-deadline", "Platform.Contracts.Repair.V1:ProviderCallbackDeadline")]
    [InlineData("repairdispatch-device-feedback-deadline", "Platform.Contracts.Repair.V1:DeviceFeedbackDeadline")]
    public async Task Each_consumed_message_has_the_queue_the_README_names(string queue, string exchange) =>
        Assert.Contains(exchange, await Broker.SourcesOf(env, queue));

    [Fact]
    public async Task A_claim_the_merchant_answers_opens_no_job()
    {
        var region = Repair.Unique("gd");
        var provider = Repair.Unique("p");
        await service.RegisterProvider(provider, region);
        var claim = Repair.Claim(region) with { AnsweredBy = ResponsibleParty.Merchant, ShippingPaidBy = ShippingPayer.Merchant };
        var messageId = Guid.NewGuid();

        await probe.Publish(claim, messageId);
        await consumed.WaitFor<ClaimApproved>(messageId);

        Assert.Equal(0, await store.EventCount(RepairJobStream.StreamId(NameBasedIds.JobForClaim(claim.ClaimId))));
    }

    [Fact]
    public async Task A_ruling_that_orders_a_repair_opens_a_job_the_platform_pays_for()
    {
        var region = Repair.Unique("zj");
        var provider = Repair.Unique("p");
        await service.RegisterProvider(provider, region, "tv");
        await using var queue = await ProviderQueue.Listen(probe, provider);

        var ruling = Repair.RepairRuling(region, "tv");
        await probe.Publish(ruling);
        var dispatched = await queue.WaitFor(d => d.CaseId == ruling.CaseId, "the ruling's job is dispatched");

        Assert.Equal((NameBasedIds.JobForRuling(ruling.CaseId), RepairCostBearer.Platform, (Guid?)null),
            (dispatched.JobId, dispatched.CostBearer, dispatched.ClaimId));
    }

    [Fact]
    public async Task A_provider_reports_by_message_from_acceptance_to_completion()
    {
        var region = Repair.Unique("js");
        var provider = Repair.Unique("p");
        var login = await service.RegisterProvider(provider, region);
        await using var queue = await ProviderQueue.Listen(probe, provider);
        await using var reporter = await ProviderBus.Start(env, login);
        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var job = await queue.WaitFor(d => d.ClaimId == claim.ClaimId, "the job is dispatched");
        using var client = service.As(PlatformRoles.Provider, provider);
        var now = DateTimeOffset.UtcNow;

        // Reports on one queue may be handled concurrently, so each waits for the one before it.
        await reporter.Report(new JobAccepted { JobId = job.JobId, Attempt = 1, ProviderId = provider, OrderId = job.OrderId, AcceptedAt = now });
        await Eventually.Until(async () => (await client.Get<JobView>($"/jobs/{job.JobId}")).Accepted, Wait, "the acceptance is applied");
        await reporter.Report(new Platform.Contracts.Repair.V1.CustomerContacted
        {
            JobId = job.JobId, Attempt = 1, ProviderId = provider, OrderId = job.OrderId, ContactedAt = now, ServiceMode = ServiceMode.MailIn, BookedFor = now.AddDays(1),
        });
        await Eventually.Until(async () => (await client.Get<JobView>($"/jobs/{job.JobId}")).BookedFor is not null, Wait, "the contact is applied");
        Assert.Empty(await store.CallbackDeadlines(job.JobId));

        await reporter.Report(new Platform.Contracts.Repair.V1.DeviceReceived { JobId = job.JobId, Attempt = 1, ProviderId = provider, OrderId = job.OrderId, ReceivedAt = now });
        await Eventually.Until(async () => (await client.Get<JobView>($"/jobs/{job.JobId}")).FeedbackDueAt is not null, Wait, "the device's receipt is applied");
        var firstDue = Assert.Single(await store.FeedbackDeadlines(job.JobId));
        Assert.InRange(firstDue.DueAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(29), TimeSpan.FromDays(30));

        await reporter.Report(new Platform.Contracts.Repair.V1.RepairProgressReported
        {
            JobId = job.JobId, Attempt = 1, ProviderId = provider, OrderId = job.OrderId, Progress = "Waiting for a display", ReportedAt = now,
        });
        await Eventually.Until(async () => (await client.Get<JobView>($"/jobs/{job.JobId}")).FeedbackDueAt > firstDue.DueAt, Wait, "the progress moves the next report's due time");
        Assert.NotEqual(firstDue.Id, Assert.Single(await store.FeedbackDeadlines(job.JobId)).Id);

        await reporter.Report(new Platform.Contracts.Repair.V1.RepairJobCompleted
        {
            JobId = job.JobId, Attempt = 1, ProviderId = provider, OrderId = job.OrderId, LineId = job.LineId, ClaimId = job.ClaimId,
            Outcome = Platform.Contracts.Repair.V1.RepairOutcome.Replaced, Report = "Display replaced", CompletedAt = now,
        });
        var completed = await probe.WaitFor<Platform.Contracts.Repair.V1.RepairJobCompleted>(m => m.JobId == job.JobId, Wait, "the completion is published");
        Assert.Equal((claim.ClaimId, claim.LineId, Platform.Contracts.Repair.V1.RepairOutcome.Replaced, "Display replaced"),
            (completed.ClaimId, completed.LineId, completed.Outcome, completed.Report));
        Assert.Empty(await store.FeedbackDeadlines(job.JobId));
        Assert.Equal(JobStatus.Completed, (await client.Get<JobView>($"/jobs/{job.JobId}")).Status);
        Assert.DoesNotContain((await client.Get<Page<JobView>>("/jobs")).Items, j => j.JobId == job.JobId);

        // The reports queue takes only what is sent to it (through its own exchange, to which each provider's
        // reports exchange is bound), never the completion this service publishes, which goes out through the
        // message type's exchange.
        Assert.Equal(new[] { ReportsQueue, login.ReportsExchange }.Order(), (await Broker.SourcesOf(env, ReportsQueue)).Order());
    }

    [Fact]
    public async Task A_provider_works_a_job_over_http_and_nothing_is_done_twice()
    {
        var region = Repair.Unique("sh");
        var provider = Repair.Unique("p");
        await service.RegisterProvider(provider, region);
        await using var queue = await ProviderQueue.Listen(probe, provider);
        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var job = await queue.WaitFor(d => d.ClaimId == claim.ClaimId, "the job is dispatched");
        using var client = service.As(PlatformRoles.Provider, provider);
        var path = $"/jobs/{job.JobId}";
        var streamId = RepairJobStream.StreamId(job.JobId);

        Assert.Contains((await client.Get<Page<JobView>>("/jobs")).Items, j => j.JobId == job.JobId);
        using (var accepted = await client.Post($"{path}/accept"))
        {
            Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        }
        using (var early = await client.Post($"{path}/progress", new { progress = "Diagnosing" }))
        {
            var problem = await early.Problem(HttpStatusCode.Conflict);
            Assert.Equal(nameof(RepairDispatchRefusalCode.CustomerNotContacted), problem.GetProperty("code").GetString());
        }
        using (var contacted = await client.Post($"{path}/customer-contacted", new { bookedFor = DateTimeOffset.UtcNow.AddDays(1) }))
        {
            Assert.Equal(HttpStatusCode.NoContent, contacted.StatusCode);
        }

        // A retried progress report, under the same key, is one report.
        for (var i = 0; i < 2; i++)
        {
            using var progress = await client.Post($"{path}/progress", new { progress = "Part ordered" }, idempotencyKey: "progress-1");
            Assert.Equal(HttpStatusCode.NoContent, progress.StatusCode);
        }
        Assert.Equal(1, await store.Events(streamId, "repairdispatch.repair-progress-reported"));

        using (var unknown = await client.Post($"{path}/complete", new { outcome = "Fixed", report = "done" }))
        {
            var problem = await unknown.Problem(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("outcome", out _));
        }
        for (var i = 0; i < 2; i++)
        {
            using var done = await client.Post($"{path}/complete", new { outcome = "unrepairable", report = "Board burnt out" });
            Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        }
        Assert.Equal(1, await store.Events(streamId, "repairdispatch.repair-job-completed"));
        var completed = await probe.WaitFor<Platform.Contracts.Repair.V1.RepairJobCompleted>(m => m.JobId == job.JobId, Wait, "the completion is published");
        Assert.Equal(Platform.Contracts.Repair.V1.RepairOutcome.Unrepairable, completed.Outcome);

        using (var other = await client.Post($"{path}/complete", new { outcome = "Repaired", report = "Fixed after all" }))
        {
            Assert.Equal(nameof(RepairDispatchRefusalCode.JobCompleted), (await other.Problem(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }
        var card = await client.Get<ScorecardView>($"/providers/{provider}/scorecard");
        Assert.Equal((1, 1, 1), (card.JobsDispatched, card.OnTimeCallbacks, card.Completions));
    }

    [Fact]
    public async Task A_decline_moves_the_job_to_the_next_provider_at_once()
    {
        var region = Repair.Unique("hb");
        var p = Repair.Unique("p");
        var (first, second) = ($"{p}-a", $"{p}-b");
        await service.RegisterProvider(first, region);
        await service.RegisterProvider(second, region);
        await using var queueFirst = await ProviderQueue.Listen(probe, first);
        await using var queueSecond = await ProviderQueue.Listen(probe, second);
        var claim = Repair.Claim(region);
        await probe.Publish(claim);
        var job = await queueFirst.WaitFor(d => d.ClaimId == claim.ClaimId, "the job goes to the first provider");

        using var client = service.As(PlatformRoles.Provider, first);
        using (var declined = await client.Post($"/jobs/{job.JobId}/decline", new { reason = "No technician this week" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, declined.StatusCode);
        }

        var next = await queueSecond.WaitFor(d => d.JobId == job.JobId, "the job goes to the second provider");
        Assert.Equal(2, next.Attempt);
        await probe.WaitFor<RepairJobRedispatched>(m => m.JobId == job.JobId && m.Reason == RedispatchReason.ProviderDeclined && m.PreviousProviderId == first,
            Wait, "the redispatch is published");
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var card = await op.Get<ScorecardView>($"/providers/{first}/scorecard");
        Assert.Equal((1, 0, 0), (card.Declines, card.Breaches, (await op.Get<ProviderView>($"/providers/{first}")).OpenJobs));
        Assert.Equal(1, (await op.Get<ProviderView>($"/providers/{second}")).OpenJobs);
    }

    [Fact]
    public async Task A_provider_can_neither_see_nor_act_on_another_providers_job()
    {
        var (regionA, regionB) = (Repair.Unique("ah"), Repair.Unique("fj"));
        var p = Repair.Unique("p");
        var (a, b) = ($"{p}-a", $"{p}-b");
        await service.RegisterProvider(a, regionA);
        var loginB = await service.RegisterProvider(b, regionB);
        await using var queueA = await ProviderQueue.Listen(probe, a);
        await using var providerBus = await ProviderBus.Start(env, loginB, q => q.Take<RepairJobDispatched>().Take<ReportRefused>());
        var claimA = Repair.Claim(regionA);
        await probe.Publish(claimA);
        var jobA = (await queueA.WaitFor(d => d.ClaimId == claimA.ClaimId, "A's job reaches A")).JobId;
        var streamA = RepairJobStream.StreamId(jobA);
        using var providerB = service.As(PlatformRoles.Provider, b);

        // By HTTP: the same answer as for a job that does not exist.
        var absent = Guid.NewGuid();
        using (var read = await providerB.GetAsync($"/jobs/{jobA}"))
        using (var readAbsent = await providerB.GetAsync($"/jobs/{absent}"))
        {
            var problem = await read.Problem(HttpStatusCode.NotFound);
            var absentProblem = await readAbsent.Problem(HttpStatusCode.NotFound);
            Assert.Equal(absentProblem.GetProperty("detail").GetString()!.Replace(absent.ToString(), "?"), problem.GetProperty("detail").GetString()!.Replace(jobA.ToString(), "?"));
        }
        Assert.DoesNotContain((await providerB.Get<Page<JobView>>("/jobs")).Items, j => j.JobId == jobA);
        using (var act = await providerB.Post($"/jobs/{jobA}/accept"))
        {
            await act.Problem(HttpStatusCode.NotFound);
        }

        // By message, with B's own broker user: refused, kept, and answered on B's queue.
        var sent = new JobAccepted { JobId = jobA, Attempt = 1, ProviderId = b, OrderId = claimA.OrderId, AcceptedAt = DateTimeOffset.UtcNow };
        var sentId = Guid.NewGuid();
        await providerBus.Report(sent, sentId);
        var answer = await providerBus.WaitFor<ReportRefused>(r => r.ReportMessageId == sentId, "B is answered on its own queue");
        Assert.Equal((nameof(RepairDispatchRefusalCode.NotYourJob), nameof(JobAccepted), jobA, b, claimA.OrderId),
            (answer.Code, answer.ReportType, answer.JobId, answer.ProviderId, answer.OrderId));
        await Eventually.Until(async () => await store.Events(streamA, "repairdispatch.unauthorised-provider-action-recorded") == 2, Wait,
            "both of B's attempts are recorded on A's job");
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        var refusals = await op.Get<List<System.Text.Json.JsonElement>>("/operations/refusals");
        Assert.Contains(refusals, r => r.GetProperty("code").GetString() == nameof(RepairDispatchRefusalCode.NotYourJob)
            && r.GetProperty("messageType").GetString() == typeof(JobAccepted).FullName
            && r.GetProperty("body").GetProperty("jobId").GetGuid() == jobA);

        // A's job is untouched: A can still accept it.
        using var providerA = service.As(PlatformRoles.Provider, a);
        using (var accept = await providerA.Post($"/jobs/{jobA}/accept"))
        {
            Assert.Equal(HttpStatusCode.NoContent, accept.StatusCode);
        }

        // B's queue: a later job of B's own arrives there, and it is the only thing that ever did.
        var claimB = Repair.Claim(regionB);
        await probe.Publish(claimB);
        await providerBus.WaitFor<RepairJobDispatched>(d => d.ClaimId == claimB.ClaimId, "B's own job reaches B");
        Assert.Equal([claimB.ClaimId], providerBus.Received<RepairJobDispatched>().Select(d => d.ClaimId));
    }
}
