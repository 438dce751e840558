using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>Plays one run against running services and reads back what they made of it.</summary>
public static class Simulation
{
    /// <summary>Below this the scenario's ten-day automatic confirmation alone takes longer than a few minutes.</summary>
    public const double MinimumClockSpeed = 2_000;

    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(2);
    private const int ListOrdersUpTo = 60;
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReadBackWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadBackEach = TimeSpan.FromMilliseconds(20);

    public static async Task<SimulationSummary> Run(SimulationOptions options, TextWriter progress, CancellationToken ct)
    {
        if (options.Clock is not AcceleratedTimeProvider { Speed: >= MinimumClockSpeed } clock)
        {
            throw new InvalidOperationException(
                $"The simulation needs the services' compressed clock, at least {MinimumClockSpeed}x: set PLATFORM_CLOCK_SPEED and PLATFORM_CLOCK_ORIGIN as for the services.");
        }
        if (options.Orders < Plan.MinimumOrders)
        {
            throw new InvalidOperationException($"At least {Plan.MinimumOrders} orders are needed to play every story once, not {options.Orders}.");
        }
        var plan = Plan.Create(options.Orders, options.Seed, Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant(), options.Mix);
        var chaos = options.Chaos;
        var output = TextWriter.Synchronized(progress);
        var started = Stopwatch.StartNew();
        var businessStart = clock.GetUtcNow();

        var tokens = options.Tokens;
        using var orderHttp = Client(options.OrderUrl);
        using var warrantyHttp = Client(options.WarrantyUrl);
        using var repairHttp = Client(options.RepairDispatchUrl);
        using var arbitrationHttp = Client(options.ArbitrationUrl);
        var patience = chaos?.Patience;
        var apis = new Apis(new Api("Order", orderHttp, tokens, "order", patience), new Api("Warranty", warrantyHttp, tokens, "warranty", patience),
            new Api("RepairDispatch", repairHttp, tokens, "repairdispatch", patience), new Api("Arbitration", arbitrationHttp, tokens, "arbitration", patience));
        await Ready(apis, ct);

        var bus = Connect(options.Settings);
        try
        {
            await Start(bus, options.Settings, ct);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeoutOf(options, clock));
            var world = new World(plan, apis, bus, clock, new Progress(), deadline.Token, chaos?.PollAtMost, patience);
            var saboteur = chaos is null ? null : new Saboteur(world, chaos, options.Settings);
            var customers = new Customers(world);
            await using var webhooks = options.Webhooks is { } endpoint ? await ProviderWebhooks.Start(endpoint) : null;
            var providers = new RepairProviders(world) { Webhooks = webhooks };
            var tribunal = new Tribunal(world, customers);
            var trade = new TradeSystem(world, saboteur);
            await providers.Listen();
            await trade.ListenForPayments();
            await Newsfeed.Subscribe(world, tribunal, saboteur);
            await providers.Register(ct);
            Introduce(output, plan, clock, options);

            using var stopReporting = new CancellationTokenSource();
            var reporting = Report(output, world, started, businessStart, stopReporting.Token);
            try
            {
                using var stopArbitrating = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                var arbitrating = world.Guard("the arbitrator", () => tribunal.Arbitrate(stopArbitrating.Token));
                var spoiling = saboteur is null ? Task.CompletedTask : world.Guard("the bad messages", () => saboteur.Spoil(options.Pacing, deadline.Token));
                var begin = options.Pacing / Math.Max(1, plan.Orders.Count);
                // Paced, the orders that wait ten business days for the automatic confirmation begin first, so that
                // the run lasts its pacing or those ten days, not both.
                var turns = plan.Orders.OrderByDescending(o => o.Delivery == Delivery.NeverConfirmed).ToList();
                await Task.WhenAll(turns.Select((order, i) => world.Guard($"order {order.OrderId} ({order.Story}, delivered {order.Delivery})", async () =>
                {
                    await Task.Delay(begin * i, deadline.Token);
                    await trade.Deliver(order, deadline.Token);
                    await customers.Play(order, deadline.Token);
                })));
                await spoiling;
                // Past the deadline the flows have said what they were waiting for; asking again adds nothing.
                if (!deadline.IsCancellationRequested)
                {
                    await world.Guard("settling", () => Settled(world, providers, deadline.Token));
                }
                await stopArbitrating.CancelAsync();
                await arbitrating;
                await world.Guard("the providers' last reports", () => world.Background.WaitAsync(deadline.Token));
                ct.ThrowIfCancellationRequested();
            }
            finally
            {
                await stopReporting.CancelAsync();
                await reporting;
            }
            output.WriteLine(world.Progress.Line(started.Elapsed, clock.GetUtcNow() - businessStart, plan.Orders.Count));
            using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            reading.CancelAfter(ReadBackWithin + ReadBackEach * plan.Orders.Count);
            var summary = await Readback.Read(world, customers, providers, started.Elapsed, clock.GetUtcNow() - businessStart, chaos is not null, reading.Token);
            if (saboteur is not null)
            {
                await File.WriteAllTextAsync(chaos!.ManifestPath, JsonSerializer.Serialize(saboteur.Manifest(summary), ChaosManifest.Json), ct);
            }
            return summary;
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await bus.StopAsync(stopping.Token);
        }
    }

    public static TimeSpan TimeoutOf(SimulationOptions options, AcceleratedTimeProvider clock) =>
        options.Timeout ?? TimeSpan.FromMinutes(1) + options.Pacing + TimeSpan.FromDays(30) / clock.Speed;

    private static HttpClient Client(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    private static IBusControl Connect(PlatformSettings settings) =>
        Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, settings.RabbitVirtualHost, h =>
        {
            h.Username(settings.RabbitUser);
            h.Password(settings.RabbitPassword);
        }));

    private static async Task Start(IBusControl bus, PlatformSettings settings, CancellationToken ct)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
        within.CancelAfter(ReadyWithin);
        try
        {
            await bus.StartAsync(within.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is OperationCanceledException or RabbitMqConnectionException)
        {
            throw new InvalidOperationException(
                $"RabbitMQ at {settings.RabbitHost}:{settings.RabbitPort}, virtual host '{settings.RabbitVirtualHost}', is not reachable within {ReadyWithin.TotalSeconds:0} s: {e.Message}", e);
        }
    }

    private static async Task Ready(Apis apis, CancellationToken ct)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
        within.CancelAfter(ReadyWithin);
        foreach (var api in apis.All)
        {
            try
            {
                while (!await IsReady(api, within.Token))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), within.Token);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The {api.Name} service at {api.Address} is not ready (GET /health/ready) after {ReadyWithin.TotalSeconds:0} s.");
            }
        }
    }

    private static async Task<bool> IsReady(Api api, CancellationToken ct)
    {
        try
        {
            return (await api.Get("/health/ready", PlatformRoles.Operator, "simulator", ct)).Status == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// The claims' ends imply their jobs' and cases' ends; this asks the services directly, so that a job or a
    /// case left open by a flow that failed is reported rather than assumed.
    /// </summary>
    private static async Task Settled(World world, RepairProviders providers, CancellationToken ct)
    {
        foreach (var jobId in providers.Jobs.Keys)
        {
            await world.Until($"job {jobId} to be completed or escalated", async c =>
            {
                var job = await world.Apis.RepairDispatch.Get($"/jobs/{jobId}", PlatformRoles.Provider, providers.Jobs[jobId].ProviderId, c);
                return job.Status == HttpStatusCode.OK && job.Body.Text("status") != "InProgress";
            }, ct);
        }
        var prefix = $"sim-{world.Plan.RunId}-";
        await world.Until("every case of the run to be ruled", async c =>
        {
            foreach (var status in new[] { "AwaitingRespondent", "AwaitingRuling" })
            {
                var open = await world.Apis.Arbitration.GetAll($"/cases?status={status}&limit=500", PlatformRoles.Arbitrator, World.UnassignedArbitrator, c);
                if (open.Items.Any(r => r.Text("orderId")?.StartsWith(prefix, StringComparison.Ordinal) == true))
                {
                    return false;
                }
            }
            return true;
        }, ct);
        await world.Until("every refund and compensation of the run to be confirmed paid", async c =>
        {
            foreach (var order in world.Plan.Orders.Where(o => o.ExpectedRefund > 0))
            {
                var file = await world.Apis.Warranty.Get($"/warranties/{order.OrderId}/{order.Line.LineId}", PlatformRoles.CustomerService, world.CustomerServiceAgent, c);
                var payments = file.Body.Child("payments").Items().ToList();
                if (file.Status != HttpStatusCode.OK || payments.Count == 0 || payments.Any(p => p.Text("status") != "Paid"))
                {
                    return false;
                }
            }
            var ruled = await world.Apis.Arbitration.GetAll("/cases?status=Ruled&limit=500", PlatformRoles.Arbitrator, World.UnassignedArbitrator, c);
            foreach (var caseId in ruled.Items.Where(r => r.Text("orderId")?.StartsWith(prefix, StringComparison.Ordinal) == true).Select(r => r.Id("caseId")).OfType<Guid>())
            {
                var view = await world.Apis.Arbitration.Get($"/cases/{caseId}", PlatformRoles.Arbitrator, World.UnassignedArbitrator, c);
                if (view.Status != HttpStatusCode.OK || view.Body.Child("compensation") is { ValueKind: JsonValueKind.Object } owed && owed.Text("status") != "Paid")
                {
                    return false;
                }
            }
            return true;
        }, ct);
    }

    private static void Introduce(TextWriter output, Plan plan, AcceleratedTimeProvider clock, SimulationOptions options)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Simulation run {plan.RunId}: {plan.Orders.Count} orders (seed {options.Seed}), clock {clock.Speed:0}x real time "
            + $"(a business day every {TimeSpan.FromDays(1).TotalSeconds / clock.Speed:0.0} s), gives up after {TimeoutOf(options, clock).TotalSeconds:0} s."));
        foreach (var group in plan.Orders.GroupBy(o => o.Story))
        {
            // Past a screenful, each order by name says less than the counts.
            var detail = plan.Orders.Count <= ListOrdersUpTo
                ? string.Join(", ", group.Select(o => $"{o.OrderId[^3..]} ({o.Delivery}, {string.Join("+", o.Lines.Select(l => l.Category))}, {o.Region})"))
                : string.Join(", ", group.GroupBy(o => (o.Delivery, o.Region)).Select(g => $"{g.Count()} {g.Key.Delivery} in {g.Key.Region}"));
            output.WriteLine($"  {group.Count(),4} x {group.Key}: {detail}");
        }
        if (options.Chaos is { } chaos)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  under faults: orders begin over {options.Pacing.TotalSeconds:0} s; {chaos.BadMessages} bad messages, {chaos.DuplicateShare:P0} of messages sent twice; calls tried for {chaos.Patience.TotalSeconds:0} s"));
        }
        output.WriteLine($"  repair providers: {string.Join(", ", plan.Providers.Select(p => $"{p.Id} ({p.Region}, {p.Conduct})"))}");
    }

    private static async Task Report(TextWriter output, World world, Stopwatch started, DateTimeOffset businessStart, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(ReportEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                output.WriteLine(world.Progress.Line(started.Elapsed, world.Now - businessStart, world.Plan.Orders.Count));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run stopped reporting to print its summary.
        }
    }
}
