using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Platform.Benchmarks;
using Platform.EventSourcing;

// Usage: dotnet run -c Release --project tests/Platform.Benchmarks -- [unit-of-work|relay|scheduler|pipeline|claims|memory|all|growth|scaling] [--quick]
// growth is left out of all: it fills a store to 10^7 events (about 18 GB and a quarter of an hour).
// Each figure is printed next to a raw baseline measured in the same run, and as their ratio.
// The figures in docs/benchmarks.md are of this host's servers (deploy/servers.sh), never of a test container.
Platform.Testing.TestServers.UseEnvironmentSettings();
var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var quick = args.Contains("--quick");
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"# Platform benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {(quick ? "quick" : "full")} run, " +
    $"tiered PGO {(Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? AppContext.GetData("System.Runtime.TieredPGO")?.ToString() ?? "default")} (Directory.Build.props; DOTNET_TieredPGO overrides it)");

if (which is "unit-of-work" or "all")
{
    await UnitOfWorkBenchmark.Run(writers: 4, perWriter: quick ? 1_050 : 5_040);
}
if (which is "relay" or "all")
{
    await RelayBenchmark.Run(messages: quick ? 5_000 : 20_000, latencyRate: 1_000, latencySeconds: quick ? 5 : 15);
}
if (which is "pipeline" or "all")
{
    await PipelineBenchmark.Run(orders: quick ? 2_000 : 10_000, latencySeconds: quick ? 5 : 15);
}
if (which is "scheduler" or "all")
{
    await SchedulerBenchmark.Run(pending: quick ? 20_000 : 100_000, spreadSeconds: quick ? 10 : 60, burst: quick ? 5_000 : 20_000);
}
if (which is "growth")
{
    await GrowthBenchmark.Run(quick);
}
if (which is "claims" or "all")
{
    await ClaimsBenchmark.Run(claims: quick ? 2_000 : 10_000, latencySeconds: quick ? 5 : 15);
}
if (which is "memory" or "all")
{
    await MemoryBenchmark.Run(warmSeconds: quick ? 15 : 30, loadSeconds: quick ? 20 : 90);
}
if (which is "scaling")
{
    await ScalingBenchmark.Run(orders: quick ? 6_000 : 20_000, warmUpPerInstance: quick ? 1_000 : 2_000);
}

internal static class RelayBenchmark
{
    public static async Task Run(int messages, int latencyRate, int latencySeconds)
    {
        await using var database = await BenchDatabase.Create();

        // Baseline: MassTransit publishing straight to the broker, same consumer, same broker. Its host is gone
        // before the outbox's starts, so no message of the outbox's is delivered to two queues.
        var directArrivals = new Arrivals(Guid.NewGuid(), messages);
        double directRate;
        await using (var direct = await BenchHosts.Start(database, directArrivals, relay: false))
        {
            var bus = direct.Services.GetRequiredService<IBus>();
            var directWatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(1, messages), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
                await bus.Publish(new BenchMessage(directArrivals.RunId, i, DateTimeOffset.UtcNow), ct));
            await directArrivals.All.WaitAsync(TimeSpan.FromMinutes(5));
            directRate = messages / directWatch.Elapsed.TotalSeconds;
        }

        // Through the outbox: committed in transactions of 100, then relayed and consumed.
        var outboxArrivals = new Arrivals(Guid.NewGuid(), messages);
        await using var relayHost = await BenchHosts.Start(database, outboxArrivals, relay: true);
        var store = database.Store();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, messages / 100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, ct) =>
        {
            await using var session = await store.OpenSession(null, new MessageMetadata(null, null, null, null, null), ct);
            for (var i = 1; i <= 100; i++)
            {
                session.Publish(new BenchMessage(outboxArrivals.RunId, batch * 100 + i, DateTimeOffset.UtcNow));
            }
            await session.Commit(ct);
        });
        await outboxArrivals.All.WaitAsync(TimeSpan.FromMinutes(5));
        var outboxRate = messages / watch.Elapsed.TotalSeconds;

        // Latency at a steady rate: one message per transaction, stamped just before its commit.
        var paced = latencyRate * latencySeconds;
        var latencyArrivals = new Arrivals(Guid.NewGuid(), paced);
        var interval = TimeSpan.FromSeconds(1.0 / latencyRate);
        var start = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, paced), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var wait = interval * i - start.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }
            await using var session = await store.OpenSession(null, new MessageMetadata(null, null, null, null, null), ct);
            session.Publish(new BenchMessage(latencyArrivals.RunId, i, DateTimeOffset.UtcNow));
            await session.Commit(ct);
        });
        var achieved = paced / start.Elapsed.TotalSeconds;
        await latencyArrivals.All.WaitAsync(TimeSpan.FromMinutes(5));
        var (p50, p99, max) = Stats.Summary(latencyArrivals.Values.Select(v => (v.At - v.SentAt).TotalMilliseconds));

        Console.WriteLine();
        Console.WriteLine($"## Outbox relay: {messages:N0} messages each way");
        Console.WriteLine("| path | messages/s, publish to consumed |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| direct MassTransit Publish (64 in flight) | {directRate:N0} |");
        Console.WriteLine($"| outbox: commit (100 per transaction) + relay + consume | {outboxRate:N0} |");
        Console.WriteLine($"| ratio outbox / direct (kept at 0.93 or near: >= 0.9) | {outboxRate / directRate:F2}: {Target.Verdict(outboxRate / directRate >= 0.9)} |");
        Console.WriteLine();
        Console.WriteLine($"## Outbox latency, commit to consumed, one message per transaction at {achieved:N0}/s for {latencySeconds} s");
        Console.WriteLine($"| p50 | {p50:F1} ms |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| p99 (target < 50 ms) | {p99:F1} ms |");
        Console.WriteLine($"| max | {max:F1} ms |");
    }
}

internal static class SchedulerBenchmark
{
    /// <summary>
    /// Lateness with <paramref name="pending"/> schedules waiting, due evenly over <paramref name="spreadSeconds"/>
    /// (a rate the machine sustains, so lateness is the scheduler's and not a queue's); then
    /// throughput as the time to drain <paramref name="burst"/> schedules all due at one instant.
    /// </summary>
    public static async Task Run(int pending, int spreadSeconds, int burst)
    {
        var relayLateness = new System.Collections.Concurrent.ConcurrentQueue<double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "platform.outbox.lateness")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => relayLateness.Enqueue(value));
        listener.Start();
        var (schedulingRate, lateness, windows) = await Spread(pending, spreadSeconds, relayLateness);
        listener.Dispose();
        var relaySide = Stats.Summary(relayLateness);
        var (drainRate, directRate) = await Drain(burst);
        var (p50, p99, max) = Stats.Summary(lateness);
        Console.WriteLine();
        Console.WriteLine($"## Scheduler: {pending:N0} pending schedules, due evenly over {spreadSeconds} s ({pending / (double)spreadSeconds:N0}/s); then {burst:N0} due at once");
        Console.WriteLine($"| scheduling rate (500 per transaction) | {schedulingRate:N0}/s |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| lateness p50, due to consumed | {p50:F1} ms |");
        Console.WriteLine($"| lateness p99 (target < 250 ms) | {p99:F1} ms: {Target.Verdict(p99 < 250)} |");
        Console.WriteLine($"| lateness max | {max:F1} ms |");
        Console.WriteLine($"| of which the relay's: due to published and committed, p50 / p99 | {relaySide.P50:F1} / {relaySide.P99:F1} ms |");
        Console.WriteLine($"| p99 by 10 s of due time: {string.Join(", ", windows.Select(w => w.ToString("F0", CultureInfo.InvariantCulture)))} ms | |");
        Console.WriteLine($"| firing throughput, {burst:N0} due at one instant, drained | {drainRate:N0}/s |");
        Console.WriteLine($"| baseline: the same number published directly (64 in flight), consumed | {directRate:N0}/s |");
        Console.WriteLine($"| firing / direct (target >= 0.9) | {drainRate / directRate:F2}: {Target.Verdict(drainRate / directRate >= 0.9)} |");
    }

    private static async Task<(double SchedulingRate, IReadOnlyList<double> Lateness, IReadOnlyList<double> Windows)> Spread(int pending, int spreadSeconds, System.Collections.Concurrent.ConcurrentQueue<double> relayLateness)
    {
        await using var database = await BenchDatabase.Create();
        var arrivals = new Arrivals(Guid.NewGuid(), pending);
        await using var host = await BenchHosts.Start(database, arrivals, relay: false);
        // The relay is measured warm, as in a service that has run for a while: rows due at once go
        // through it first, so the first measured rows do not pay for compiling the publishing path.
        const int warmUp = 2_000;
        var warm = new Arrivals(Guid.NewGuid(), warmUp);
        var warmDue = DateTimeOffset.UtcNow;
        await Schedule(database, warmUp, _ => warmDue, warm.RunId);
        // Scheduling must finish before the first row falls due, or the lateness measures a backlog the
        // relay started with: on a loaded machine scheduling ran at 5,500-8,000/s, so 4,000/s is assumed.
        var lead = TimeSpan.FromSeconds(10 + pending / 4_000.0);
        var first = DateTimeOffset.UtcNow + lead;
        var step = TimeSpan.FromSeconds(spreadSeconds) / pending;
        var scheduling = await Schedule(database, pending, n => first + step * n, arrivals.RunId);
        if (DateTimeOffset.UtcNow > first)
        {
            Console.WriteLine($"(scheduling took longer than the {lead.TotalSeconds} s lead: early rows were due before the relay started)");
        }
        await using var relay = await StartRelay(database, host);
        await warm.All.WaitAsync(lead);
        relayLateness.Clear();
        if (DateTimeOffset.UtcNow > first)
        {
            Console.WriteLine("(the relay's warm-up ran past the lead: early rows were due before it ended)");
        }
        await arrivals.All.WaitAsync(TimeSpan.FromSeconds(spreadSeconds) + lead + TimeSpan.FromMinutes(5));
        var windows = arrivals.Values
            .GroupBy(v => (int)((v.SentAt - first).TotalSeconds / 10))
            .OrderBy(g => g.Key)
            .Select(g => Stats.Summary(g.Select(v => (v.At - v.SentAt).TotalMilliseconds)).P99)
            .ToList();
        return (pending / scheduling.TotalSeconds, arrivals.Values.Select(v => (v.At - v.SentAt).TotalMilliseconds).ToList(), windows);
    }

    /// <summary>The firing rate of <paramref name="burst"/> rows due at once, and of the same number published straight to the broker by the same host.</summary>
    private static async Task<(double Firing, double Direct)> Drain(int burst)
    {
        await using var database = await BenchDatabase.Create();
        var arrivals = new Arrivals(Guid.NewGuid(), burst);
        await using var host = await BenchHosts.Start(database, arrivals, relay: false);
        var direct = new Arrivals(Guid.NewGuid(), burst);
        var bus = host.Services.GetRequiredService<IBus>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, burst), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
            await bus.Publish(new BenchMessage(direct.RunId, i, DateTimeOffset.UtcNow), ct));
        await direct.All.WaitAsync(TimeSpan.FromMinutes(5));
        var directRate = burst / watch.Elapsed.TotalSeconds;

        var due = DateTimeOffset.UtcNow;
        await Schedule(database, burst, _ => due, arrivals.RunId);
        watch.Restart();
        await using var relay = await StartRelay(database, host);
        await arrivals.All.WaitAsync(TimeSpan.FromMinutes(5));
        return (burst / watch.Elapsed.TotalSeconds, directRate);
    }

    private static async Task<TimeSpan> Schedule(BenchDatabase database, int count, Func<int, DateTimeOffset> dueAt, Guid runId)
    {
        var store = database.Store();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count / 500), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, ct) =>
        {
            await using var session = await store.OpenSession(null, new MessageMetadata(null, null, null, null, null), ct);
            for (var i = 0; i < 500; i++)
            {
                var number = batch * 500 + i;
                var due = dueAt(number);
                session.Schedule(due, new BenchMessage(runId, number, due));
            }
            await session.Commit(ct);
        });
        return watch.Elapsed;
    }

    private static async Task<RunningRelay> StartRelay(BenchDatabase database, BenchHost host)
    {
        // The relay as a service configures it, from the same variables.
        var relay = new OutboxRelay(new PlumbingDataSource(database.DataSource), host.Services.GetRequiredService<IBusControl>(), BenchDatabase.Types(), TimeProvider.System,
            host.Services.GetRequiredService<OutboxRelayOptions>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxRelay>.Instance);
        await relay.StartAsync(CancellationToken.None);
        return new RunningRelay(relay);
    }

    private sealed class RunningRelay(OutboxRelay relay) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await relay.StopAsync(CancellationToken.None);
            relay.Dispose();
        }
    }
}
