using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Npgsql;
using Platform.Contracts.Warranty.V1;
using Platform.Testing;

namespace Platform.Benchmarks;

/// <summary>
/// Checks the scale model's slope (docs/scaling.md) on this machine: 1, 2 and 4 Warranty processes consume
/// OrderCompleted from their one shared queue against one database. Each count's throughput (WarrantyActivated
/// received) and CPU per order is printed beside what the model predicts from the CPU an order took with one
/// instance: the instances cannot do more than n times what one did, nor more than the cores left to this run
/// divided by the CPU an order costs across every process on them (the driver, the instances, PostgreSQL,
/// RabbitMQ). A second prediction adds, for each database transaction an order took beyond one instance's, what a
/// transaction costs, measured by one more instance that commits each order alone: more instances on the same
/// cores each get a smaller share of the orders, so their batches are smaller.
/// </summary>
internal static class ScalingBenchmark
{
    private static readonly int[] Counts = [1, 2, 4];
    private const int InFlight = 64;
    private const int MaxWarmUpRounds = 8;
    private const double Tolerance = 0.2;
    private const int Slices = 3;

    public static async Task Run(int orders, int warmUpPerInstance)
    {
        var started = Stopwatch.StartNew();
        var loadAtStart = Machine.LoadAverage();
        await using var env = await TestEnvironment.Create();
        var database = (await env.Database("warranty")).Name;
        var arguments = await env.Arguments("warranty");
        await using var probe = await BusProbe.Start(env);
        var bus = (IBusControl)probe.Bus;
        var activations = new Activations();
        var endpoint = bus.ConnectReceiveEndpoint($"bench-scaling-activated-{Guid.NewGuid():N}", e =>
        {
            e.PrefetchCount = 500;
            e.Handler<WarrantyActivated>(c =>
            {
                activations.See(c.Message.OrderId);
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready;

        // Every instance gets the same settings, so the one database's name no longer tells them apart: a tag
        // of this run's own does, for reading each one's CPU from /proc.
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var runDatabase = new RunDatabase(database);
        var instances = new List<BenchService>();
        var results = new List<CountResult>();
        CountResult? calibration = null;
        long? sizeBefore = null;
        var sizeAfter = 0L;
        try
        {
            foreach (var count in Counts)
            {
                var starting = Enumerable.Range(instances.Count + 1, count - instances.Count).Select(k => StartInstance($"{tag}-{k}", $"warranty-{k}", arguments, database));
                instances.AddRange(await Task.WhenAll(starting));
                sizeBefore ??= await runDatabase.Size();
                results.Add(await Measure(bus, activations, instances, runDatabase, $"n{count}", orders, warmUpPerInstance * count));
            }

            // The cost of a transaction, for the model that counts them: one instance again, committing each order alone.
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
            instances.Clear();
            instances.Add(await StartInstance($"{tag}-alone", "warranty-alone", [.. arguments, "--PLATFORM_CONSUMER_BATCH_SIZE=1"], database));
            calibration = await Measure(bus, activations, instances, runDatabase, "alone", orders / Slices, warmUpPerInstance);
        }
        finally
        {
            await endpoint.StopAsync();
            sizeAfter = await runDatabase.Size();
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
        Print(results, calibration!, orders, (sizeAfter - (sizeBefore ?? sizeAfter)) / (double)activations.Completed, loadAtStart, started.Elapsed);
    }

    private static async Task<BenchService> StartInstance(string marker, string name, string[] arguments, string database)
    {
        var argument = $"--Benchmarks:ScalingInstance={marker}";
        var process = await ServiceProcess.Start("Warranty.Service.dll", [.. arguments, argument], TimeSpan.FromSeconds(120));
        return new BenchService(name, process, ProcFs.PidWithArgument(argument), database);
    }

    /// <summary>Warms the instances, then times <paramref name="orders"/> in slices and keeps the median one.</summary>
    private static async Task<CountResult> Measure(
        IBusControl bus, Activations activations, IReadOnlyList<BenchService> instances, RunDatabase runDatabase, string label, int orders, int warmUp)
    {
        var load = Machine.LoadAverage();
        var warmRounds = await WarmUp(bus, activations, instances, $"warm-{label}", warmUp);
        var transactionsBefore = await runDatabase.Transactions();
        // Slices, each timed on its own, and the median one kept: a burst of the other engineers' work on the
        // shared cores then moves one slice, not the count's figure.
        var slices = new List<(int Orders, TimeSpan Elapsed, Reading Cpu)>();
        for (var slice = 1; slice <= Slices; slice++)
        {
            var before = Reading.Take(instances);
            var watch = Stopwatch.StartNew();
            await Complete(bus, activations, instances, $"{label}-{slice}", orders / Slices);
            slices.Add((orders / Slices, watch.Elapsed, Reading.Take(instances) - before));
        }
        var median = slices.OrderBy(s => s.Elapsed).ElementAt(Slices / 2);
        var loadAfter = Machine.LoadAverage();
        var committed = await runDatabase.Transactions() - transactionsBefore;
        return new CountResult(instances.Count, median.Orders, median.Elapsed, median.Cpu, committed, orders / Slices * Slices, warmRounds, load, loadAfter);
    }

    /// <summary>
    /// Rounds of orders until the CPU per order of every process of the run settles (two rounds in a row within 10 %):
    /// new processes, this one included, pay for compiling themselves first, and a service that has run for a while does not.
    /// </summary>
    private static async Task<int> WarmUp(IBusControl bus, Activations activations, IReadOnlyList<BenchService> instances, string prefix, int perRound)
    {
        double? previous = null;
        for (var round = 1; round <= MaxWarmUpRounds; round++)
        {
            var before = Reading.Take(instances);
            await Complete(bus, activations, instances, $"{prefix}-{round}", perRound);
            var perOrder = (Reading.Take(instances) - before).Total.TotalMilliseconds / perRound;
            if (previous is { } last && Math.Abs(perOrder - last) <= 0.1 * last)
            {
                return round;
            }
            previous = perOrder;
        }
        return MaxWarmUpRounds;
    }

    /// <summary>Publishes OrderCompleted for <paramref name="count"/> one-line orders and waits for every WarrantyActivated.</summary>
    private static async Task Complete(IBusControl bus, Activations activations, IReadOnlyList<BenchService> instances, string prefix, int count)
    {
        var done = activations.Expect(prefix, count);
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, ct) =>
            await bus.Publish(Orders.Completed($"{prefix}-{i}", $"buyer-{i % 100}", DateTimeOffset.UtcNow, ["L1"]), ct));
        try
        {
            await done.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"{count - activations.Seen} of {count} orders ({prefix}) activated no warranty within 5 minutes.\n" +
                string.Join('\n', instances.Select(s => $"--- {s.Name}:\n{s.Process.Output}")));
        }
    }

    private static void Print(IReadOnlyList<CountResult> results, CountResult alone, int orders, double bytesPerOrder, string loadAtStart, TimeSpan took)
    {
        var cores = Environment.ProcessorCount;
        var one = results[0];
        // What one more transaction an order costs, from two runs of one instance that differ in little else: its
        // batches, and each order committed alone.
        var perTransaction = (alone.CpuPerOrderSeconds - one.CpuPerOrderSeconds) / (alone.TransactionsPerOrder - one.TransactionsPerOrder);
        Console.WriteLine();
        Console.WriteLine($"## Scaling: 1, 2 and 4 Warranty processes on one shared OrderCompleted queue and one database, {orders:N0} one-line orders at each count ({InFlight} published in flight), in {Slices} slices of which the median is shown");
        Console.WriteLine($"With one instance: {one.Rate:N0}/s, {one.CpuPerOrderSeconds * 1000:F2} ms of CPU an order in all processes and {one.TransactionsPerOrder:F3} database transactions an order, so {cores} idle cores would allow {cores / one.CpuPerOrderSeconds:N0}/s. " +
            $"One instance committing each order alone: {alone.Rate:N0}/s, {alone.CpuPerOrderSeconds * 1000:F2} ms an order and {alone.TransactionsPerOrder:F3} transactions an order, so a transaction costs {perTransaction * 1000:F2} ms of CPU in all processes.");
        Console.WriteLine("Models (docs/scaling.md), at n instances:");
        Console.WriteLine("- flat: predicted = min(n × the rate of one, cores left to this run ÷ the CPU an order took with one instance);");
        Console.WriteLine("- with transactions: the same, the CPU an order raised by the cost of a transaction for each transaction an order took beyond one instance's (smaller batches at each instance's share of the rate).");
        Console.WriteLine();
        Console.WriteLine("| instances | WarrantyActivated/s | per instance | CPU ms per order: driver / Warranty (all instances) / PostgreSQL backends / RabbitMQ / total | cores used by this run / by everything else | flat: predicted/s, measured / predicted, within 20 % | with transactions: CPU ms an order predicted, predicted/s, measured / predicted, within 20 % | per order: database transactions committed / rolled back; outbox index scans / entries read | warm-up rounds | load average before → after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var result in results.Append(alone))
        {
            var available = Math.Max(0, cores - result.OthersCores);
            string Check(double cpuPerOrder)
            {
                var predicted = Math.Min(result.Instances * one.Rate, available / cpuPerOrder);
                var ratio = result.Rate / predicted;
                var verdict = ReferenceEquals(result, one) || ReferenceEquals(result, alone) ? "calibration" : Target.Verdict(Math.Abs(ratio - 1) <= Tolerance);
                return $"{predicted:N0}, {ratio:F2}, {verdict}";
            }
            var withTransactions = one.CpuPerOrderSeconds + perTransaction * (result.TransactionsPerOrder - one.TransactionsPerOrder);
            var instances = ReferenceEquals(result, alone) ? "1, each order alone" : result.Instances.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"| {instances} | {result.Rate:N0} | {result.Rate / result.Instances:N0} | {result.Cpu.PerOrder(result.Orders)} | " +
                $"{result.OursCores:F2} / {result.OthersCores:F2} | {Check(one.CpuPerOrderSeconds)} | {withTransactions * 1000:F2}, {Check(withTransactions)} | " +
                $"{result.TransactionsPerOrder:F3} / {result.Transactions.Rollbacks / (double)result.TransactionsOver:F3}; {result.Transactions.OutboxScans / (double)result.TransactionsOver:F3} / {result.Transactions.OutboxEntriesRead / (double)result.TransactionsOver:F1} | {result.WarmUpRounds} | {result.LoadBefore} → {result.LoadAfter} |");
        }
        Console.WriteLine();
        Console.WriteLine("CPU per order of each instance's own process, ms (its share of the orders is unknown, so this is its CPU over all orders of the count):");
        foreach (var result in results)
        {
            Console.WriteLine($"- {result.Instances}: {string.Join(", ", result.Cpu.PerInstance.Select(p => (p.TotalMilliseconds / result.Orders).ToString("F2", CultureInfo.InvariantCulture)))}");
        }
        Console.WriteLine();
        Console.WriteLine($"The database grew by {bytesPerOrder:N0} bytes per order activated (events, the file's snapshot, inbox, read models, outbox rows deleted but not yet vacuumed).");
        Console.WriteLine($"Load average (1 min) at the start {loadAtStart}; the whole run took {took.TotalSeconds:F0} s.");
    }

    private sealed record CountResult(int Instances, int Orders, TimeSpan Elapsed, Reading Cpu, Committed Transactions, int TransactionsOver, int WarmUpRounds, string LoadBefore, string LoadAfter)
    {
        public double Rate => Orders / Elapsed.TotalSeconds;

        public double CpuPerOrderSeconds => Cpu.Total.TotalSeconds / Orders;

        public double TransactionsPerOrder => Transactions.Commits / (double)TransactionsOver;

        public double OursCores => Cpu.Total.TotalSeconds / Elapsed.TotalSeconds;

        /// <summary>Cores busy with anything but this run: the other engineers' work on the shared machine.</summary>
        public double OthersCores => Math.Max(0, (Cpu.MachineBusy - Cpu.Total).TotalSeconds / Elapsed.TotalSeconds);
    }

    /// <summary>CPU used so far by this run's processes, and by the whole machine (/proc/stat).</summary>
    private sealed record Reading(CpuSplit Split, TimeSpan MachineBusy)
    {
        public static Reading Take(IReadOnlyList<BenchService> instances) => new(CpuSplit.Take(instances), Busy());

        public TimeSpan Instances => Split.Services.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Used);

        public IEnumerable<TimeSpan> PerInstance => Split.Services.Select(s => s.Used);

        public TimeSpan Total => Split.Total;

        public static Reading operator -(Reading after, Reading before) => new(after.Split - before.Split, after.MachineBusy - before.MachineBusy);

        public string PerOrder(int orders) =>
            string.Join(" / ", new[] { Split.Driver, Instances, Split.Postgres, Split.RabbitMq, Total }.Select(t => (t.TotalMilliseconds / orders).ToString("F2", CultureInfo.InvariantCulture)));

        /// <summary>Every core's time in anything but idle and waiting for I/O, from the first line of /proc/stat.</summary>
        private static TimeSpan Busy()
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user, nice, system, idle, iowait, irq, softirq, steal (guest time is already inside user).
            var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
            return TimeSpan.FromSeconds(busy / 100.0);
        }
    }

    /// <summary>
    /// The run's database as PostgreSQL counts it: its size, and the transactions of pg_stat_database (how many commits an
    /// order costs, the relays' claims included). A backend reports its counts at most once a second while busy and after
    /// 10 s once idle, so each reading of them first lets the run sit idle past that.
    /// </summary>
    private sealed class RunDatabase(string database) : IAsyncDisposable
    {
        private static readonly TimeSpan Flushed = TimeSpan.FromSeconds(11);
        private readonly NpgsqlDataSource admin = NpgsqlDataSource.Create(BenchDatabase.Settings.ConnectionString("postgres"));
        private readonly NpgsqlDataSource own = NpgsqlDataSource.Create(BenchDatabase.Settings.ConnectionString(database));

        public async Task<Committed> Transactions()
        {
            await Task.Delay(Flushed);
            await using var command = admin.CreateCommand("select xact_commit, xact_rollback from pg_stat_database where datname = $1");
            command.Parameters.Add(new() { Value = database });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (commits, rollbacks) = (reader.GetInt64(0), reader.GetInt64(1));
            // The relays' claims: how often the outbox's indexes are scanned, and how many entries (dead ones included) each reads.
            await using var outbox = own.CreateCommand("select coalesce(sum(idx_scan), 0)::bigint, coalesce(sum(idx_tup_read), 0)::bigint from pg_stat_user_indexes where relname = 'outbox'");
            await using var scans = await outbox.ExecuteReaderAsync();
            await scans.ReadAsync();
            return new Committed(commits, rollbacks, scans.GetInt64(0), scans.GetInt64(1));
        }

        public async Task<long> Size()
        {
            await using var command = admin.CreateCommand("select pg_database_size($1)");
            command.Parameters.Add(new() { Value = database });
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            await admin.DisposeAsync();
            await own.DisposeAsync();
        }
    }

    private sealed record Committed(long Commits, long Rollbacks, long OutboxScans, long OutboxEntriesRead)
    {
        public static Committed operator -(Committed after, Committed before) =>
            new(after.Commits - before.Commits, after.Rollbacks - before.Rollbacks, after.OutboxScans - before.OutboxScans, after.OutboxEntriesRead - before.OutboxEntriesRead);
    }

    /// <summary>The WarrantyActivated of one batch of orders, told apart by their ids' prefix.</summary>
    private sealed class Activations
    {
        private volatile Phase? current;

        private int completed;

        public int Seen => current?.Count ?? 0;

        /// <summary>Orders activated over the whole run, warm-up included.</summary>
        public int Completed => Volatile.Read(ref completed);

        public Task Expect(string prefix, int count)
        {
            var phase = new Phase($"{prefix}-", count);
            current = phase;
            return phase.Done.Task;
        }

        public void See(string orderId)
        {
            if (current is { } phase && orderId.StartsWith(phase.Prefix, StringComparison.Ordinal) && phase.See(orderId))
            {
                Interlocked.Increment(ref completed);
            }
        }

        private sealed class Phase(string prefix, int expected)
        {
            private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> seen = new(StringComparer.Ordinal);
            private int count;

            public string Prefix => prefix;
            public int Count => Volatile.Read(ref count);
            public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            /// <summary>True the first time an order is seen.</summary>
            public bool See(string orderId)
            {
                if (!seen.TryAdd(orderId, 0))
                {
                    return false;
                }
                if (Interlocked.Increment(ref count) == expected)
                {
                    Done.TrySetResult();
                }
                return true;
            }
        }
    }
}
