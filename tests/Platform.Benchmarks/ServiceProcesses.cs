using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Platform.Testing;

namespace Platform.Benchmarks;

/// <summary>A service of the run as its own operating-system process, with the pid its CPU and memory are read by.</summary>
internal sealed class BenchService(string name, ServiceProcess process, int pid, string database) : IAsyncDisposable
{
    public string Name { get; } = name;
    public string Database { get; } = database;
    public ServiceProcess Process { get; } = process;
    public int Pid { get; } = pid;
    public Uri Address => Process.Address;

    /// <summary>Starts the services together from the dlls beside this assembly, as deploy/run.sh starts them.</summary>
    public static async Task<IReadOnlyList<BenchService>> StartAll(TestEnvironment env, params (string Name, string Assembly, string[] Settings)[] services)
    {
        // The environment creates each database on first use, one at a time; the processes then start together.
        var arguments = new Dictionary<string, string[]>();
        foreach (var (name, _, settings) in services)
        {
            arguments[name] = [.. await env.Arguments(name), .. settings];
        }
        return await Task.WhenAll(services.Select(async service =>
        {
            var process = await ServiceProcess.Start(service.Assembly, arguments[service.Name], TimeSpan.FromSeconds(120));
            var database = (await env.Database(service.Name)).Name;
            return new BenchService(service.Name, process, ProcFs.PidWithArgument($"--PLATFORM_PG_DATABASE={database}"), database);
        }));
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

internal static class ProcFs
{
    private const double TicksPerSecond = 100;

    /// <summary>The one process started with this argument: each service of a run is given a database of its own.</summary>
    public static int PidWithArgument(string argument)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0').Contains(argument))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended while the directory was read.
            }
        }
        return found.Count == 1 ? found[0] : throw new InvalidOperationException($"{found.Count} processes have the argument {argument}.");
    }

    /// <summary>
    /// CPU used by the PostgreSQL backends connected to these databases, told apart by the process title
    /// PostgreSQL gives each backend ("postgres: 15/main: user database host(port) state"). A backend that
    /// ended between two readings takes its CPU with it; the services' pools keep theirs open.
    /// </summary>
    public static TimeSpan PostgresBackends(IEnumerable<string> databases)
    {
        var names = databases.Select(d => $" {d} ").ToList();
        var used = TimeSpan.Zero;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                var title = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (title.StartsWith("postgres:", StringComparison.Ordinal) && names.Any(n => title.Contains(n, StringComparison.Ordinal)))
                {
                    used += Cpu(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended while the directory was read.
            }
        }
        return used;
    }

    /// <summary>User and system CPU time the process has used.</summary>
    public static TimeSpan Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
    }

    /// <summary>Resident set now, and its peak since the process started (VmHWM), in bytes.</summary>
    public static (long Resident, long Peak) Memory(int pid)
    {
        long resident = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }
        return (resident, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

/// <summary>
/// CPU used by the benchmark's own process, each service process, the PostgreSQL backends serving the run's
/// databases, and RabbitMQ. The machine is shared: PostgreSQL's other backends and background processes
/// are left out, while the broker, one process for every virtual host, is counted whole.
/// </summary>
internal sealed record CpuSplit(TimeSpan Driver, IReadOnlyList<(string Name, TimeSpan Used)> Services, TimeSpan Postgres, TimeSpan RabbitMq)
{
    public static CpuSplit Take(IReadOnlyList<BenchService> services)
    {
        var shared = CpuSample.Take();
        return new(shared.Process, [.. services.Select(s => (s.Name, ProcFs.Cpu(s.Pid)))], ProcFs.PostgresBackends(services.Select(s => s.Database)), shared.RabbitMq);
    }

    public static CpuSplit operator -(CpuSplit after, CpuSplit before) =>
        new(after.Driver - before.Driver, [.. after.Services.Zip(before.Services, (a, b) => (a.Name, a.Used - b.Used))],
            after.Postgres - before.Postgres, after.RabbitMq - before.RabbitMq);

    public string Header => $"| | this process (the driver) | {string.Join(" | ", Services.Select(s => s.Name))} | PostgreSQL, the services' backends | RabbitMQ, whole broker | total |";

    public string Separator => "|---|" + string.Concat(Enumerable.Repeat("---|", Services.Count + 4));

    public TimeSpan Total => new[] { Driver, Postgres, RabbitMq }.Concat(Services.Select(s => s.Used)).Aggregate(TimeSpan.Zero, (sum, part) => sum + part);

    /// <summary>A table row of milliseconds of CPU per item (<paramref name="items"/> × <paramref name="scale"/> of them).</summary>
    public string Row(string label, int items, double scale = 1)
    {
        TimeSpan[] parts = [Driver, .. Services.Select(s => s.Used), Postgres, RabbitMq];
        return $"| {label} | {string.Join(" | ", parts.Select(p => (p.TotalMilliseconds / (items * scale)).ToString("F2")))} | {Total.TotalMilliseconds / (items * scale):F2} |";
    }
}

/// <summary>The time each awaited key was first seen, and a task per key that completes then.</summary>
internal sealed class Sightings<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TaskCompletionSource<DateTimeOffset>> seen = new();

    public void See(TKey key) => Slot(key).TrySetResult(DateTimeOffset.UtcNow);

    public Task<DateTimeOffset> When(TKey key) => Slot(key).Task;

    public void Forget(TKey key) => seen.TryRemove(key, out _);

    private TaskCompletionSource<DateTimeOffset> Slot(TKey key) =>
        seen.GetOrAdd(key, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>MassTransit's own single hop on the broker of the run: what any path through the services is compared with.</summary>
internal static class RawHop
{
    /// <summary>Messages a second, and the CPU they took (the services idle meanwhile).</summary>
    public static async Task<(double Rate, CpuSplit Cpu)> Run(IBusControl bus, int messages, IReadOnlyList<BenchService> services)
    {
        var hop = new ConcurrentDictionary<int, bool>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = bus.ConnectReceiveEndpoint($"bench-hop-{Guid.NewGuid():N}", e =>
        {
            e.PrefetchCount = 500;
            e.Handler<BenchMessage>(c =>
            {
                if (hop.TryAdd(c.Message.Number, true) && hop.Count == messages)
                {
                    done.TrySetResult();
                }
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready;
        var cpu = CpuSplit.Take(services);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, messages), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
            await bus.Publish(new BenchMessage(Guid.Empty, i, DateTimeOffset.UtcNow), ct));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var rate = messages / watch.Elapsed.TotalSeconds;
        cpu = CpuSplit.Take(services) - cpu;
        await endpoint.StopAsync();
        return (rate, cpu);
    }
}

/// <summary>The broker's own count of the messages each queue of a virtual host has had acknowledged, and what each holds.</summary>
internal static class BrokerQueues
{
    private static readonly HttpClient Management = TestVirtualHost.CreateManagementClient();

    public static async Task<IReadOnlyList<(string Queue, long Acknowledged, long Waiting)>> Read(string virtualHost)
    {
        using var document = JsonDocument.Parse(await Management.GetStringAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}"));
        return [.. document.RootElement.EnumerateArray().Select(queue => (
            queue.GetProperty("name").GetString()!,
            queue.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("ack", out var ack) ? ack.GetInt64() : 0,
            queue.TryGetProperty("messages", out var waiting) && waiting.ValueKind == JsonValueKind.Number ? waiting.GetInt64() : 0))];
    }
}

internal static class Machine
{
    /// <summary>The 1-minute load average: the benchmarks share the machine's two cores with whatever else runs.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
