using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Repair.V1;
using Platform.Contracts.Trade.V1;
using Platform.Contracts.Warranty.V1;
using Platform.Testing;

namespace Platform.Benchmarks;

/// <summary>
/// The working set of each of the four services, each its own process, idle and under sustained load through
/// all of them: trade events to Order, OrderCompleted to Warranty, buyers' claims over HTTP, approved repairs to
/// RepairDispatch and on to the providers, who call back or decline; rejected claims and escalated jobs to
/// Arbitration. The load is closed: a fixed number of orders in flight, each taken to its last step before the
/// next begins, so it runs at what the services sustain without a backlog growing.
/// </summary>
internal static class MemoryBenchmark
{
    private const int InFlight = 128;
    private const int Buyers = 100;
    private static readonly string[] Providers = ["mem-a", "mem-b"];
    private static readonly TimeSpan StepWithin = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TradeEventsApart = TimeSpan.FromMilliseconds(200);

    /// <summary>Issue 19 asks the whole life cycle's CPU per order halved from this, the quiet-machine figure of issue 9 (docs/benchmarks.md).</summary>
    private const double BaselineCpuPerOrder = 30.34;

    private static readonly TimeSpan IdleCpuWindow = TimeSpan.FromSeconds(10);

    /// <summary>Issue 19's ceiling on each service's working set under this load.</summary>
    private const int WorkingSetLimit = 250;

    public static async Task Run(int warmSeconds, int loadSeconds)
    {
        var load = new List<string> { Machine.LoadAverage() };
        await using var env = await TestEnvironment.Create();
        var services = await BenchService.StartAll(env,
            ("order", "Order.Service.dll", []),
            ("warranty", "Warranty.Service.dll", []),
            ("repairdispatch", "RepairDispatch.Service.dll", [.. Providers.SelectMany((id, i) => ProviderSettings(i, id))]),
            ("arbitration", "Arbitration.Service.dll", ["--Arbitration:Arbitrators:0=arb-1", "--Arbitration:Arbitrators:1=arb-2"]));
        try
        {
            // Settled, not sampled mid-start: what a service holds once it is up and nothing has reached it.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idle = services.ToDictionary(s => s.Name, s => ProcFs.Memory(s.Pid));
            // What the services spend with nothing to do (timers, pollers, health): a cost per second, not per order.
            var idleCpuBefore = CpuSplit.Take(services);
            await Task.Delay(IdleCpuWindow);
            var idleCpu = CpuSplit.Take(services) - idleCpuBefore;

            await using var probe = await BusProbe.Start(env);
            var bus = (IBusControl)probe.Bus;
            await using var run = new Marketplace(bus);
            await run.Connect(env);
            using var filing = new ClaimFiling(services.Single(s => s.Name == "warranty"), env.Tokens);

            var peaks = services.ToDictionary(s => s.Name, _ => 0L);
            using var stopSampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stopSampling.IsCancellationRequested)
                {
                    foreach (var service in services)
                    {
                        peaks[service.Name] = Math.Max(peaks[service.Name], ProcFs.Memory(service.Pid).Resident);
                    }
                    await Task.Delay(SampleEvery, CancellationToken.None);
                }
            });

            var next = 0;
            async Task Carry(TimeSpan length)
            {
                var carrying = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(async () =>
                {
                    while (carrying.Elapsed < length)
                    {
                        await run.Order(Interlocked.Increment(ref next), filing);
                    }
                })));
            }
            // Measured warm, as the pipeline benchmark is: in a profile of a cold quick run, 60 % of the services'
            // samples were the JIT and its tiering threads compiling the paths the load had just reached, a cost of
            // each start and not of each order.
            await Carry(TimeSpan.FromSeconds(warmSeconds));
            run.StartCounting();

            var before = await BrokerQueues.Read(env.VirtualHost.Name);
            var cpuBefore = CpuSplit.Take(services);
            load.Add(Machine.LoadAverage());
            // A mark for a profiler started beside the run: from here the services carry the measured load.
            Console.WriteLine($"load starts at {DateTimeOffset.UtcNow:HH:mm:ss.fff}, pids {string.Join(", ", services.Select(s => $"{s.Name} {s.Pid}"))}");
            var watch = Stopwatch.StartNew();
            await Carry(TimeSpan.FromSeconds(loadSeconds));
            var loaded = watch.Elapsed;
            await stopSampling.CancelAsync();
            await sampler;
            var cpu = CpuSplit.Take(services) - cpuBefore;
            var underLoad = services.ToDictionary(s => s.Name, s => ProcFs.Memory(s.Pid));
            load.Add(Machine.LoadAverage());

            await run.Settle(services);
            var after = await Settled(env.VirtualHost.Name);
            var consumed = services.ToDictionary(s => s.Name, s => Acknowledged(after, s.Name) - Acknowledged(before, s.Name));

            Console.WriteLine();
            Console.WriteLine($"## Memory per service: idle, and under {loaded.TotalSeconds:F0} s of sustained load ({InFlight} orders in flight, after {warmSeconds} s of the same load to warm up), each service its own process");
            Console.WriteLine($"Load carried: {run.Orders:N0} orders ({run.Orders / loaded.TotalSeconds:N0}/s, 5 trade events each), {run.RepairClaims:N0} repair claims " +
                $"({run.Declined:N0} of them declined by every provider and escalated), {run.RejectedClaims:N0} claims rejected (accidental damage).");
            Console.WriteLine();
            Console.WriteLine("| service | idle: working set (VmRSS) | idle: peak since start (VmHWM) | under load: peak working set sampled every 250 ms | peak since start (VmHWM) at the end of the load | messages consumed/s | HTTP requests/s |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var service in services)
            {
                var requests = service.Name == "warranty" ? $"{(run.RepairClaims + run.RejectedClaims) / loaded.TotalSeconds:N0}" : "0";
                Console.WriteLine($"| {service.Name} | {Mib(idle[service.Name].Resident)} | {Mib(idle[service.Name].Peak)} | **{Mib(peaks[service.Name])}** | {Mib(underLoad[service.Name].Peak)} | " +
                    $"{consumed[service.Name] / loaded.TotalSeconds:N0} | {requests} |");
            }
            Console.WriteLine();
            Console.WriteLine("CPU ms per order under that load (each order with its share of claims, jobs and cases):");
            Console.WriteLine(cpu.Header);
            Console.WriteLine(cpu.Separator);
            Console.WriteLine(cpu.Row("per order", run.Orders));
            Console.WriteLine(idleCpu.Row($"idle, per second (over {IdleCpuWindow.TotalSeconds:F0} s before the load)", (int)IdleCpuWindow.TotalSeconds));
            Console.WriteLine(idleCpu.Row($"idle share of each order: what the services spend per second idle × the load's seconds ÷ orders", 1, IdleCpuWindow.TotalSeconds * run.Orders / loaded.TotalSeconds));
            Console.WriteLine();
            var perOrder = cpu.Total.TotalMilliseconds / Math.Max(run.Orders, 1);
            var heaviest = services.MaxBy(s => peaks[s.Name])!;
            Console.WriteLine("| issue 19's targets | this run | baseline (issue 9, quiet machine, 2026-11-21) | verdict |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine($"| CPU per order, the whole life cycle: driver, the four services, their PostgreSQL backends, the whole broker (≤ half the baseline) | {perOrder:F2} ms | " +
                $"{BaselineCpuPerOrder:F2} ms | {Target.Verdict(run.Orders > 0 && perOrder <= BaselineCpuPerOrder / 2)} |");
            Console.WriteLine($"| each service's peak working set under load (≤ {WorkingSetLimit} MiB) | {heaviest.Name} {Mib(peaks[heaviest.Name])} at most | " +
                $"220 / 191 / 200 / 164 MiB | {Target.Verdict(peaks.Values.All(p => p <= WorkingSetLimit * 1024L * 1024))} |");
            Console.WriteLine();
            Console.WriteLine($"What that CPU allows on {Environment.ProcessorCount} cores, were nothing else running: {Environment.ProcessorCount / (cpu.Total.TotalSeconds / run.Orders):N0} orders/s with this mix.");
            Console.WriteLine();
            Console.WriteLine($"Messages consumed are the broker's acknowledgements on each service's own queues over the run. Load average (1 min) at start, as the load began, as it ended: {string.Join(", ", load)}");
            if (!run.Lost.IsEmpty)
            {
                Console.WriteLine();
                Console.WriteLine($"**{run.Lost.Count} steps did not complete within {StepWithin.TotalMinutes} minutes**, e.g.:");
                foreach (var lost in run.Lost.Take(10))
                {
                    Console.WriteLine($"- {lost}");
                }
            }
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A provider seeded as deploy/run.sh seeds one, with its broker user's password as a hash: the clear password is
    /// the provider's alone, and its reports are believed only from its own connection.
    /// </summary>
    private static string[] ProviderSettings(int index, string id) =>
        [.. Seeds.Provider(index, id, capacity: 1_000_000), $"--RepairDispatch:Providers:{index}:BrokerPasswordHash={ProviderBus.RabbitMqPasswordHash(ProviderPassword(id))}"];

    private static string ProviderPassword(string id) => $"{id}-benchmark-password";

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):N0} MiB";

    private static long Acknowledged(IReadOnlyList<(string Queue, long Acknowledged, long Waiting)> queues, string service) =>
        queues.Where(q => q.Queue.StartsWith(service + "-", StringComparison.Ordinal)).Sum(q => q.Acknowledged);

    /// <summary>
    /// The broker's counts once nothing waits in the services' queues and they have stopped moving: the
    /// management statistics are refreshed every few seconds, not at each acknowledgement.
    /// </summary>
    private static async Task<IReadOnlyList<(string Queue, long Acknowledged, long Waiting)>> Settled(string virtualHost)
    {
        var deadline = Stopwatch.StartNew();
        var previous = await BrokerQueues.Read(virtualHost);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(6));
            var now = await BrokerQueues.Read(virtualHost);
            var unchanged = now.Sum(q => q.Acknowledged) == previous.Sum(q => q.Acknowledged) && now.All(q => q.Waiting == 0 || q.Queue.StartsWith("repair-provider-", StringComparison.Ordinal));
            if (unchanged || deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                return now;
            }
            previous = now;
        }
    }

    /// <summary>The marketplace around the services: trade system, buyers and providers, and what it saw come back.</summary>
    private sealed class Marketplace(IBusControl bus) : IAsyncDisposable
    {
        private readonly List<ProviderBus> providers = [];
        private readonly string tag = Guid.NewGuid().ToString("N")[..8];
        private readonly Sightings<string> activations = new();
        private readonly Sightings<Guid> dispatches = new();
        private readonly Sightings<Guid> escalatedCases = new();
        private readonly ConcurrentDictionary<Guid, bool> declining = new();
        private readonly ConcurrentQueue<Guid> declinedJobs = new();
        private int orders;
        private int repairClaims;
        private int rejectedClaims;
        private int declined;

        public int Orders => orders;
        public int RepairClaims => repairClaims;
        public int RejectedClaims => rejectedClaims;
        public int Declined => declined;

        /// <summary>Counts from here: what came before warmed the services up.</summary>
        public void StartCounting()
        {
            Interlocked.Exchange(ref orders, 0);
            Interlocked.Exchange(ref repairClaims, 0);
            Interlocked.Exchange(ref rejectedClaims, 0);
            Interlocked.Exchange(ref declined, 0);
        }
        public ConcurrentQueue<string> Lost { get; } = new();

        public async Task Connect(TestEnvironment env)
        {
            var activated = bus.ConnectReceiveEndpoint($"mem-activated-{tag}", e =>
            {
                e.PrefetchCount = 500;
                e.Handler<WarrantyActivated>(c =>
                {
                    activations.See(c.Message.OrderId);
                    return Task.CompletedTask;
                });
            });
            var cases = bus.ConnectReceiveEndpoint($"mem-cases-{tag}", e => e.Handler<CaseOpened>(c =>
            {
                if (c.Message is { Origin: CaseOrigin.RepairJobEscalated, JobId: { } jobId })
                {
                    escalatedCases.See(jobId);
                }
                return Task.CompletedTask;
            }));
            await activated.Ready;
            await cases.Ready;
            foreach (var providerId in Providers)
            {
                var login = new ProviderLogin(providerId, $"{env.VirtualHost.UserPrefix}{providerId}", ProviderPassword(providerId),
                    $"repair-provider-{providerId}", $"repairdispatch-provider-reports.{providerId}");
                providers.Add(await ProviderBus.Start(env, login, q => q.On<RepairJobDispatched>(c => Answer(c, login))));
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }

        /// <summary>One order's life: traded, activated, and for six in ten a claim (one of those declined all round, escalated), for one in ten a rejected one.</summary>
        public async Task Order(int number, ClaimFiling filing)
        {
            var orderId = $"mem-{tag}-{number}";
            var buyerId = $"buyer-{number % Buyers}";
            var completedAt = DateTimeOffset.UtcNow.AddDays(-30);
            object[] trade =
            [
                new OrderPlaced
                {
                    OrderId = orderId, BuyerId = buyerId, MerchantId = "merchant-1", ShippingRegion = Seeds.Region, PlacedAt = completedAt.AddDays(-3),
                    Lines = [Phone("L1")],
                },
                new OrderPaid { OrderId = orderId, PaidAt = completedAt.AddDays(-3) },
                new OrderShipped { OrderId = orderId, ShippedAt = completedAt.AddDays(-2) },
                new OrderDelivered { OrderId = orderId, DeliveredAt = completedAt },
                new OrderReceiptConfirmed { OrderId = orderId, ConfirmedAt = completedAt },
            ];
            foreach (var tradeEvent in trade)
            {
                // A trade system's events for one order come apart in time; back to back, they would race for
                // the order's stream and the losers be retried, a cost the marketplace's traffic does not have.
                await Task.Delay(TradeEventsApart);
                await bus.Publish(tradeEvent);
            }
            if (!await Within(activations.When(orderId), $"order {orderId}: no WarrantyActivated"))
            {
                return;
            }
            activations.Forget(orderId);
            Interlocked.Increment(ref orders);

            var line = new Line(orderId, "L1", buyerId);
            switch (number % 10)
            {
                case < 6:
                    var claimId = Guid.NewGuid();
                    if (number % 10 == 0)
                    {
                        declining[claimId] = true;
                        Interlocked.Increment(ref declined);
                    }
                    if (await Filed(filing, line, claimId, FaultKind.QualityFault) && await Within(dispatches.When(claimId), $"claim {claimId} on {orderId}: no job reached a provider"))
                    {
                        dispatches.Forget(claimId);
                        Interlocked.Increment(ref repairClaims);
                    }
                    break;
                case 6:
                    if (await Filed(filing, line, Guid.NewGuid(), FaultKind.AccidentalDamage))
                    {
                        Interlocked.Increment(ref rejectedClaims);
                    }
                    break;
            }
        }

        /// <summary>Waits, within a bound, for every escalated job to have opened its case.</summary>
        public async Task Settle(IReadOnlyList<BenchService> services)
        {
            foreach (var jobId in declinedJobs)
            {
                if (!await Within(escalatedCases.When(jobId), $"job {jobId}: declined by every provider, but no case opened"))
                {
                    Lost.Enqueue(string.Join('\n', services.Select(s => $"--- {s.Name}:\n{s.Process.Output}")));
                    return;
                }
            }
        }

        private async Task<bool> Filed(ClaimFiling filing, Line line, Guid claimId, FaultKind fault)
        {
            var answer = await filing.File(line, claimId, fault, Remedy.Repair);
            if (answer.Status != HttpStatusCode.Created)
            {
                Lost.Enqueue($"claim on {line.OrderId}: the Warranty service answered {(int)answer.Status} {answer.Body}");
            }
            return answer.Status == HttpStatusCode.Created;
        }

        private async Task<bool> Within(Task step, string description)
        {
            try
            {
                await step.WaitAsync(StepWithin);
                return true;
            }
            catch (TimeoutException)
            {
                Lost.Enqueue(description);
                return false;
            }
        }

        /// <summary>A provider calls the buyer back at once, or declines a job the run chose to see escalated.</summary>
        private async Task Answer(ConsumeContext<RepairJobDispatched> context, ProviderLogin login)
        {
            var job = context.Message;
            if (job.ClaimId is not { } claimId)
            {
                return;
            }
            var providerId = login.ProviderId;
            var reports = new Uri($"exchange:{login.ReportsExchange}");
            var now = DateTimeOffset.UtcNow;
            if (declining.ContainsKey(claimId))
            {
                if (job.Attempt == 1)
                {
                    declinedJobs.Enqueue(job.JobId);
                }
                await context.Send(reports, new JobDeclined
                {
                    JobId = job.JobId, Attempt = job.Attempt, ProviderId = providerId, OrderId = job.OrderId, Reason = "No technician free in the region.", DeclinedAt = now,
                });
            }
            else
            {
                await context.Send(reports, new CustomerContacted
                {
                    JobId = job.JobId, Attempt = job.Attempt, ProviderId = providerId, OrderId = job.OrderId, ContactedAt = now,
                    ServiceMode = ServiceMode.OnSite, BookedFor = now.AddDays(1),
                });
            }
            if (job.Attempt == 1)
            {
                dispatches.See(claimId);
            }
        }

        private static OrderLine Phone(string lineId) => new()
        {
            LineId = lineId, Sku = "SKU-PHONE-1", Title = "Phone 15, 256 GB", Category = Seeds.Category, Brand = "Acme", UnitPrice = 4999m, Quantity = 1,
            ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 0,
        };
    }
}
