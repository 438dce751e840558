using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>
/// Plays the repair providers: each listens on its own queue, where RepairDispatch sends it its jobs and no
/// other provider's, and reports over HTTP or by message as its conduct says.
/// </summary>
public sealed class RepairProviders(World world)
{
    /// <summary>A callback this long after the deadline is late by any reckoning, yet comes before the buyer gives up.</summary>
    private static readonly TimeSpan LateBy = TimeSpan.FromHours(6);

    private readonly ConcurrentDictionary<Guid, (string ProviderId, int Attempt)> holders = new();
    private readonly ConcurrentDictionary<(Guid JobId, int Attempt), byte> served = new();

    /// <summary>Each of the run's jobs, with the provider of its latest attempt: the one that may read it back.</summary>
    public IReadOnlyDictionary<Guid, (string ProviderId, int Attempt)> Jobs => holders;

    /// <summary>
    /// Set when the providers register webhooks (deploy/run.sh): then all but the one that works by message learn of
    /// their jobs from their endpoint, and their queues' dispatches are left to the queue.
    /// </summary>
    public ProviderWebhooks? Webhooks { get; init; }

    /// <summary>Open jobs a provider takes at once: enough for every repair of the run, so none is escalated for want of room.</summary>
    private int Capacity => Math.Max(100, world.Plan.Orders.Count(o => o.HasRepairJob));

    public async Task Listen()
    {
        foreach (var provider in world.Plan.Providers)
        {
            var handle = world.Bus.ConnectReceiveEndpoint($"repair-provider-{provider.Id}", e =>
            {
                // Dispatches are sent to this queue, never published: it is bound to nothing else.
                e.ConfigureConsumeTopology = false;
                e.Handler<RepairJobDispatched>(context =>
                {
                    Dispatched(provider, context.Message);
                    return Task.CompletedTask;
                });
            });
            await handle.Ready;
        }
    }

    /// <summary>
    /// Registers this run's providers through the operators' API. Providers an earlier run registered are
    /// suspended first: nobody answers their queues any more, and their records would win this run's jobs.
    /// </summary>
    public async Task Register(CancellationToken ct)
    {
        var api = world.Apis.RepairDispatch;
        var listed = await api.Get("/providers", PlatformRoles.Operator, world.Operator, ct);
        if (listed.Status != HttpStatusCode.OK)
        {
            throw new UnexpectedAnswerException($"listing providers: {listed}");
        }
        var own = world.Plan.Providers.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in listed.Body.Items().Where(p => p.Text("providerId") is { } id && id.StartsWith("sim-", StringComparison.Ordinal)
                     && !own.Contains(id) && p.Text("status") == "Active"))
        {
            await api.Expect($"/providers/{stale.Text("providerId")}/suspend", PlatformRoles.Operator, world.Operator,
                new { reason = "Played by an earlier simulation run; nobody answers its queue now." }, ct);
        }
        foreach (var provider in world.Plan.Providers)
        {
            await api.Expect("/providers", PlatformRoles.Operator, world.Operator,
                new { id = provider.Id, regions = new[] { provider.Region }, categories = Plan.RepairCategories, capacity = Capacity }, ct);
        }
        if (Webhooks is { } webhooks)
        {
            webhooks.Dispatched = (id, job) => Dispatched(world.Plan.Providers.Single(p => p.Id == id), job, viaWebhook: true);
            await webhooks.Register(world, world.Plan.Providers, ct);
        }
    }

    /// <summary>
    /// A provider serves whatever job it is sent. A job left open by an earlier run that was stopped half-way may
    /// reach this run's providers once its own ones are suspended; it is served, but neither awaited nor counted.
    /// </summary>
    private void Dispatched(SimulatedProvider provider, RepairJobDispatched job, bool viaWebhook = false)
    {
        // Each dispatch is served from one path: the webhook for the providers that use it, the queue for the others.
        if (viaWebhook != (Webhooks is not null && provider.Conduct != Conduct.PromptByMessage))
        {
            return;
        }
        if (job.OrderId.StartsWith($"sim-{world.Plan.RunId}-", StringComparison.Ordinal))
        {
            holders.AddOrUpdate(job.JobId, (provider.Id, job.Attempt), (_, held) => job.Attempt > held.Attempt ? (provider.Id, job.Attempt) : held);
            world.Progress.JobDispatched();
        }
        // A dispatch the relay published twice (it died between publishing and deleting the row) is one job.
        if (!served.TryAdd((job.JobId, job.Attempt), 0))
        {
            return;
        }
        var what = $"provider {provider.Id} ({provider.Conduct}) on job {job.JobId} attempt {job.Attempt}";
        switch (provider.Conduct)
        {
            case Conduct.Prompt:
                world.InBackground(what, () => ByHttp(provider, job));
                break;
            case Conduct.PromptByMessage:
                world.InBackground(what, () => ByMessage(provider, job));
                break;
            case Conduct.Late:
                world.InBackground(what, () => Late(provider, job));
                break;
            case Conduct.Silent:
                break;
        }
    }

    /// <summary>
    /// Accepts, calls and completes at once. A job taken from the provider meanwhile (409 CallbackDeadlinePassed:
    /// the platform was down for longer than the callback deadline, and moved the job on) is the next provider's to serve.
    /// </summary>
    private async Task ByHttp(SimulatedProvider provider, RepairJobDispatched job)
    {
        var ct = world.Stopping;
        var api = world.Apis.RepairDispatch;
        var path = $"/jobs/{job.JobId}";
        foreach (var (action, body) in new (string, object?)[] { ("accept", null), ("customer-contacted", new { bookedFor = world.Now.AddDays(1) }) })
        {
            if (action == "customer-contacted" && !await Reach(provider, job, ct))
            {
                return;
            }
            var answer = await api.Post($"{path}/{action}", PlatformRoles.Provider, provider.Id, body, ct, Key(job, action));
            if (answer is { Status: HttpStatusCode.Conflict, Code: "CallbackDeadlinePassed" })
            {
                return;
            }
            if (!answer.IsSuccess)
            {
                throw new UnexpectedAnswerException($"RepairDispatch POST {path}/{action} as provider {provider.Id}: {answer}");
            }
        }
        await Complete(provider, job, ct);
    }

    /// <summary>Reports on one queue may be handled in any order, so each waits until the one before has taken effect.</summary>
    private async Task ByMessage(SimulatedProvider provider, RepairJobDispatched job)
    {
        var ct = world.Stopping;
        var reports = await world.Bus.GetSendEndpoint(new Uri("queue:repairdispatch-provider-reports"));
        async Task Report<T>(T report) where T : class
        {
            var messageId = NewId.NextGuid();
            await world.Reliably($"{typeof(T).Name} on job {job.JobId}", c => reports.Send(report, context => context.MessageId = messageId, c), ct);
        }
        await Report(new JobAccepted { JobId = job.JobId, Attempt = job.Attempt, ProviderId = provider.Id, OrderId = job.OrderId, AcceptedAt = world.Now });
        if (!await Until(provider, job, "accepted", j => j.Flag("accepted"), ct) || !await Reach(provider, job, ct))
        {
            return;
        }
        await Report(new CustomerContacted
        {
            JobId = job.JobId, Attempt = job.Attempt, ProviderId = provider.Id, OrderId = job.OrderId,
            ContactedAt = world.Now, ServiceMode = ServiceMode.OnSite, BookedFor = world.Now.AddDays(1),
        });
        if (!await Until(provider, job, "the buyer contacted", j => j.Text("bookedFor") is not null, ct))
        {
            return;
        }
        await Report(new RepairJobCompleted
        {
            JobId = job.JobId, Attempt = job.Attempt, ProviderId = provider.Id, OrderId = job.OrderId, LineId = job.LineId, ClaimId = job.ClaimId,
            Outcome = RepairOutcome.Repaired, Report = "Replaced the faulty board on site; tested for an hour.", CompletedAt = world.Now,
        });
        await Until(provider, job, "completed", j => j.Text("status") == "Completed", ct);
    }

    /// <summary>
    /// Calls after the deadline. The job has usually moved on by then (409 CallbackDeadlinePassed: the call is
    /// recorded against the provider and refused); if the call got in before the deadline was handled, the job
    /// stays, breached, and the provider finishes it.
    /// </summary>
    private async Task Late(SimulatedProvider provider, RepairJobDispatched job)
    {
        var ct = world.Stopping;
        var wait = job.CallbackDeadline + LateBy - world.Now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, world.Clock, ct);
        }
        if (!await Reach(provider, job, ct))
        {
            return;
        }
        var api = world.Apis.RepairDispatch;
        var contacted = await api.Post($"/jobs/{job.JobId}/customer-contacted", PlatformRoles.Provider, provider.Id,
            new { bookedFor = world.Now.AddDays(1) }, ct, Key(job, "contacted"));
        if (contacted is { Status: HttpStatusCode.Conflict, Code: "CallbackDeadlinePassed" })
        {
            return;
        }
        if (!contacted.IsSuccess)
        {
            throw new UnexpectedAnswerException($"a late callback on job {job.JobId}: {contacted}");
        }
        await Complete(provider, job, ct);
    }

    /// <summary>
    /// Asks the contact service how to reach the buyer, as a provider must before calling: false when the job has left
    /// the provider already (410). A job from a claim gives a virtual number and the address the buyer gave; one from a
    /// ruling gives neither.
    /// </summary>
    private async Task<bool> Reach(SimulatedProvider provider, RepairJobDispatched job, CancellationToken ct)
    {
        var answer = await world.Apis.RepairDispatch.Get($"/{job.BuyerContactReference}", PlatformRoles.Provider, provider.Id, ct);
        if (answer.Status == HttpStatusCode.Gone)
        {
            return false;
        }
        if (answer.Status != HttpStatusCode.OK)
        {
            throw new UnexpectedAnswerException($"RepairDispatch GET /{job.BuyerContactReference} as provider {provider.Id}: {answer}");
        }
        var order = job.ClaimId is null ? null : world.Plan.Orders.FirstOrDefault(o => o.OrderId == job.OrderId);
        var address = order is null ? null : Customers.ContactOf(order).Address;
        if (order is not null && (answer.Body.Text("serviceAddress") != address || answer.Body.Text("virtualNumber") is null))
        {
            world.Problem($"provider {provider.Id} on job {job.JobId}: the contact service answered {answer}, not a virtual number and the address '{address}'");
        }
        world.Progress.BuyerReached();
        return true;
    }

    private Task Complete(SimulatedProvider provider, RepairJobDispatched job, CancellationToken ct) =>
        world.Apis.RepairDispatch.Expect($"/jobs/{job.JobId}/complete", PlatformRoles.Provider, provider.Id,
            new { outcome = RepairOutcome.Repaired, report = "Replaced the faulty board; tested for an hour." }, ct, Key(job, "complete"));

    /// <summary>Waits for the job to show the state to its provider: false when the job was taken from the provider first.</summary>
    private Task<bool> Until(SimulatedProvider provider, RepairJobDispatched job, string state, Func<System.Text.Json.JsonElement, bool> reached, CancellationToken ct) =>
        world.Until<bool>($"job {job.JobId} to show {state} to {provider.Id}", async c =>
        {
            var answer = await world.Apis.RepairDispatch.Get($"/jobs/{job.JobId}", PlatformRoles.Provider, provider.Id, c);
            return answer.Status switch
            {
                HttpStatusCode.NotFound => false,
                HttpStatusCode.OK when reached(answer.Body) => true,
                _ => null,
            };
        }, ct);

    private static string Key(RepairJobDispatched job, string action) => $"{job.JobId:N}-{job.Attempt}-{action}";
}
