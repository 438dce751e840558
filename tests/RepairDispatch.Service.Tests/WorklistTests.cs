using System.Net;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Platform.Testing;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// GET /jobs as a provider's worklist, with the business zone set to New York (UTC-5 in winter, UTC-4 in summer) so
/// that the local deadlines cannot be mistaken for the default zone's.
/// </summary>
public sealed class WorklistTests : IAsyncLifetime
{
    private const string Zone = "America/New_York";
    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        service = await Repair.Start(env, consumed, $"--RepairDispatch:BusinessTimeZoneId={Zone}");
        probe = await BusProbe.Start(env);
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    private sealed record Provider(string Id, string Region, ProviderQueue Queue, HttpClient Client);

    private async Task<Provider> Register()
    {
        var (id, region) = (Repair.Unique("p"), Repair.Unique("r"));
        await service.RegisterProvider(id, region, capacity: 50);
        return new Provider(id, region, await ProviderQueue.Listen(probe, id), service.As(PlatformRoles.Provider, id));
    }

    private static async Task<RepairJobDispatched> Dispatch(BusProbe probe, Provider provider)
    {
        var claim = Repair.Claim(provider.Region);
        await probe.Publish(claim);
        return await provider.Queue.WaitFor(d => d.ClaimId == claim.ClaimId, $"a job reaches {provider.Id}");
    }

    private static Task<List<JobView>> All(HttpClient client, string query, Func<Task>? between = null) =>
        Worklists.All<JobView>(client, $"/jobs?{query}", Repair.Json, between);

    private static DateTimeOffset Microseconds(DateTimeOffset exact) => exact.AddTicks(-(exact.Ticks % 10));

    [Fact]
    public async Task A_provider_lists_only_its_own_open_jobs_with_callback_deadlines_in_utc_and_the_business_zone()
    {
        var (a, b) = (await Register(), await Register());
        var dispatchedToA = new List<RepairJobDispatched>();
        for (var i = 0; i < 3; i++)
        {
            dispatchedToA.Add(await Dispatch(probe, a));
        }
        var dispatchedToB = await Dispatch(probe, b);

        var listed = await All(a.Client, "limit=2");

        Assert.Equal(dispatchedToA.Select(d => d.JobId), listed.Select(j => j.JobId));
        Assert.Equal([dispatchedToB.JobId], (await All(b.Client, "")).Select(j => j.JobId));
        var newYork = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        foreach (var (job, dispatched) in listed.Zip(dispatchedToA))
        {
            var deadline = job.Deadlines.Callback;
            var instant = Microseconds(dispatched.CallbackDeadline);
            Assert.Equal((instant, TimeSpan.Zero, Zone), (deadline.Utc, deadline.Utc.Offset, deadline.TimeZone));
            Assert.Equal((instant, newYork.GetUtcOffset(instant)), (deadline.Local, deadline.Local.Offset));
            Assert.True(job.AwaitingCallback);
            Assert.Equal(Microseconds(dispatched.CallbackDeadline), job.CallbackDeadline);
        }
        Assert.Equal(Zone, (await a.Client.Get<JobView>($"/jobs/{dispatchedToA[0].JobId}")).Deadlines.Callback.TimeZone);

        // Filters narrow the provider's own list and never widen it to another's.
        foreach (var (job, action, body) in new (Guid, string, object?)[]
        {
            (dispatchedToA[0].JobId, "accept", null),
            (dispatchedToA[1].JobId, "customer-contacted", new { bookedFor = DateTimeOffset.UtcNow.AddDays(2) }),
            (dispatchedToA[2].JobId, "customer-contacted", new { bookedFor = DateTimeOffset.UtcNow.AddDays(3) }),
            (dispatchedToA[2].JobId, "complete", new { outcome = "Repaired", report = "New battery" }),
        })
        {
            using var done = await a.Client.Post($"/jobs/{job}/{action}", body);
            Assert.True(done.StatusCode == HttpStatusCode.NoContent, $"{action}: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync()}");
        }
        Assert.Equal([dispatchedToA[0].JobId, dispatchedToA[1].JobId], (await All(a.Client, "")).Select(j => j.JobId));
        Assert.Equal([dispatchedToA[0].JobId], (await All(a.Client, "awaitingCallback=true")).Select(j => j.JobId));
        var contacted = Assert.Single(await All(a.Client, "awaitingCallback=false"));
        Assert.Equal((dispatchedToA[1].JobId, false), (contacted.JobId, contacted.AwaitingCallback));
        Assert.Equal(contacted.BookedFor, contacted.Deadlines.BookedFor!.Utc);
        Assert.Equal([dispatchedToA[0].JobId], (await All(a.Client, "accepted=true")).Select(j => j.JobId));
        Assert.Equal([dispatchedToA[2].JobId], (await All(a.Client, "status=Completed")).Select(j => j.JobId));
        Assert.Equal([dispatchedToA[1].JobId], (await All(a.Client, $"orderId={dispatchedToA[1].OrderId}")).Select(j => j.JobId));
        Assert.Empty(await All(a.Client, $"orderId={dispatchedToB.OrderId}"));
        Assert.Empty(await All(b.Client, "status=Completed"));
        await (await b.Client.GetAsync($"/jobs/{dispatchedToA[2].JobId}")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Paging_returns_every_job_once_while_jobs_are_dispatched_between_pages()
    {
        var provider = await Register();
        var before = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            before.Add((await Dispatch(probe, provider)).JobId);
        }
        var added = new List<Guid>();

        var listed = (await All(provider.Client, "limit=3", async () => added.Add((await Dispatch(probe, provider)).JobId))).Select(j => j.JobId).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        // A job is dispatched later than every job listed before it, so each one dispatched between pages comes once, at the end.
        Assert.Equal(before.Concat(added), listed);
        Assert.Equal(2, added.Count);
    }

    [Fact]
    public async Task Bad_filters_limits_and_cursors_are_400s_naming_the_field_and_only_providers_list_jobs()
    {
        var provider = await Register();
        await Dispatch(probe, provider);
        await Dispatch(probe, provider);
        var cursor = Uri.EscapeDataString((await provider.Client.Get<Page<JobView>>("/jobs?limit=1")).NextCursor!);

        foreach (var (query, field) in new[]
        {
            ("status=Lost", "status"), ("limit=0", "limit"), ($"limit={WorklistPaging.Default.MaxPageSize + 1}", "limit"),
            ("cursor=bm90LWEtY3Vyc29y", "cursor"), ($"accepted=true&cursor={cursor}", "cursor"),
        })
        {
            var problem = await (await provider.Client.GetAsync($"/jobs?{query}")).Problem(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem.GetRawText()}");
        }
        await (await provider.Client.GetAsync("/jobs?awaitingCallback=soon")).Problem(HttpStatusCode.BadRequest);
        using (var other = service.As(PlatformRoles.Provider, Repair.Unique("p")))
        {
            // Another provider's list with the same filters is another list: the cursor is refused, not read against it.
            await (await other.GetAsync($"/jobs?cursor={cursor}")).Problem(HttpStatusCode.BadRequest);
        }
        Assert.Single((await provider.Client.Get<Page<JobView>>($"/jobs?limit=1&cursor={cursor}")).Items);
        foreach (var role in new[] { PlatformRoles.Buyer, PlatformRoles.Merchant, PlatformRoles.Operator, PlatformRoles.CustomerService, PlatformRoles.Arbitrator })
        {
            using var client = service.As(role, "someone");
            await (await client.GetAsync("/jobs")).Problem(HttpStatusCode.Forbidden);
        }
    }
}
