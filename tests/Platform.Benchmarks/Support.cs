using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.Benchmarks;

public sealed record BenchMessage(Guid RunId, int Number, DateTimeOffset SentAt);

public sealed record BenchEvent(int Writer, int Number, string Payload);

/// <summary>A database of the benchmark's own, dropped afterwards.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public static readonly PlatformSettings Settings = PlatformSettings.FromEnvironment();

    private BenchDatabase(string name)
    {
        Name = name;
        DataSource = new NpgsqlDataSourceBuilder(Settings.ConnectionString(name)).Build();
    }

    public string Name { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<BenchDatabase> Create()
    {
        var name = $"bench_{Guid.NewGuid():N}";
        await using (var admin = NpgsqlDataSource.Create(Settings.ConnectionString("postgres")))
        {
            await admin.CreateCommand($"create database \"{name}\"").ExecuteNonQueryAsync();
        }
        var database = new BenchDatabase(name);
        await Migrator.Apply(database.DataSource, EventStoreSchema.Migrations, CancellationToken.None);
        return database;
    }

    public EventStore Store() => new(DataSource, Types(), TimeProvider.System);

    public static MessageTypeRegistry Types() => new MessageTypeRegistry()
        .Register<BenchMessage>("bench-message")
        .Register<BenchEvent>("bench-event");

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Settings.ConnectionString("postgres"));
        await admin.CreateCommand($"drop database if exists \"{Name}\" with (force)").ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The raw baselines' tables, written by hand in the shape of Marten's <c>mt_events</c> and the
/// plumbing's inbox and outbox: what the store's rows cost with nothing of the store around them.
/// </summary>
public static class RawTables
{
    public const string Events = """
        create table raw_events (
            seq_id bigint generated always as identity primary key,
            id uuid not null,
            stream_id varchar not null,
            version bigint not null,
            data jsonb not null,
            bdata bytea,
            type varchar(500) not null,
            timestamp timestamptz not null,
            tenant_id varchar default '*DEFAULT*',
            mt_dotnet_type varchar,
            correlation_id varchar,
            causation_id varchar,
            headers jsonb,
            is_archived boolean default false,
            unique (stream_id, version));
        """;

    public const string InboxAndOutbox = """
        create table raw_inbox (
            message_id uuid not null,
            consumer text not null,
            processed_at timestamptz not null,
            primary key (message_id, consumer));
        create table raw_outbox (
            id uuid primary key,
            due_at timestamptz not null,
            scheduled boolean not null,
            destination text,
            message_type text not null,
            body text compression lz4 not null,
            headers text not null,
            created_at timestamptz not null);
        create index raw_outbox_due_at on raw_outbox (due_at);
        """;
}

/// <summary>Receive times of one run's messages, by number.</summary>
public sealed class Arrivals
{
    private static readonly ConcurrentDictionary<Guid, Arrivals> Runs = new();
    private readonly ConcurrentDictionary<int, (DateTimeOffset SentAt, DateTimeOffset At)> seen = new();
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Guid runId;
    private readonly int expected;

    public Arrivals(Guid runId, int expected)
    {
        this.runId = runId;
        this.expected = expected;
        Runs[runId] = this;
    }

    /// <summary>Any consumer in the process records into the run its message names.</summary>
    public static void RecordAny(BenchMessage message)
    {
        if (Runs.TryGetValue(message.RunId, out var arrivals))
        {
            arrivals.Record(message);
        }
    }

    public Guid RunId => runId;
    public int Count => seen.Count;
    public Task All => done.Task;
    public IEnumerable<(DateTimeOffset SentAt, DateTimeOffset At)> Values => seen.Values;

    public void Record(BenchMessage message)
    {
        if (message.RunId == runId && seen.TryAdd(message.Number, (message.SentAt, DateTimeOffset.UtcNow)) && seen.Count == expected)
        {
            done.TrySetResult();
        }
    }
}

public sealed class ArrivalsConsumer : IConsumer<BenchMessage>
{
    public Task Consume(ConsumeContext<BenchMessage> context)
    {
        Arrivals.RecordAny(context.Message);
        return Task.CompletedTask;
    }
}

public static class BenchHosts
{
    /// <summary>
    /// A host with the platform's defaults: the relay on the database, and a plain consumer of BenchMessage, on a
    /// virtual host of its own. On a shared one, the queue of an earlier host stayed bound to the message's
    /// exchange and took a copy of every message published after it (five quick relay runs in a row left
    /// 15,000-60,000 messages in such queues, and the latency's p50 grew from 9 to 76 ms).
    /// </summary>
    public static async Task<BenchHost> Start(BenchDatabase database, Arrivals? arrivals, bool relay)
    {
        var broker = await TestVirtualHost.Create();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PLATFORM_RABBITMQ_VHOST"] = broker.Name,
            // No issuer runs beside this host and nothing calls it with a token: without this its revocation list
            // is read from the default authority every few seconds, and each failed read is a warning in the figures.
            ["PLATFORM_AUTH_REVOCATIONS_URL"] = "none",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var name = $"bench-{Guid.NewGuid():N}"[..18];
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = name,
            Database = database.Name,
            ConfigureEventSourcing = o => o.Types.Register<BenchMessage>("bench-message").Register<BenchEvent>("bench-event"),
            ConfigureConsumers = x =>
            {
                if (arrivals is not null)
                {
                    x.AddConsumer<ArrivalsConsumer>().ExcludeFromConfigureEndpoints();
                }
            },
            ConfigureBus = (context, cfg) =>
            {
                if (arrivals is not null)
                {
                    cfg.ReceiveEndpoint($"{name}-arrivals", e =>
                    {
                        e.QueueExpiration = TimeSpan.FromMinutes(2);
                        e.PrefetchCount = 500;
                        e.ConfigureConsumer<ArrivalsConsumer>(context);
                    });
                }
            },
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (!relay)
        {
            var relayService = builder.Services.Single(d => d.ImplementationType == typeof(OutboxRelay));
            builder.Services.Remove(relayService);
        }
        var host = builder.Build();
        await host.StartAsync();
        return new BenchHost(host, broker);
    }
}

/// <summary>A benchmark's host and its virtual host, which goes with it.</summary>
public sealed class BenchHost(IHost host, TestVirtualHost broker) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await broker.DisposeAsync();
    }
}

/// <summary>
/// Warms a path up until tiered compilation has settled: rounds of work are repeated until rounds in
/// a row make the JIT compile almost nothing new. A path measured before that pays for compiling itself
/// at tier 0, instrumented and tier 1, which on two busy cores was most of a quick run's CPU. One quiet
/// round was not enough: promotions to tier 1 still queued behind it made the next measurement swing.
/// </summary>
public static class JitSettled
{
    public const int MaxRounds = 60;
    public const long SettledBelow = 25;
    public const int SettledRounds = 2;

    public static async Task<int> WarmUp(Func<int, Task> round)
    {
        var before = System.Runtime.JitInfo.GetCompiledMethodCount();
        var quiet = 0;
        for (var i = 0; i < MaxRounds; i++)
        {
            await round(i);
            // Tier-1 compilation runs in the background after a call-counting delay; give it a moment
            // so that a round's count includes what the round before it queued.
            await Task.Delay(200);
            var after = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = after - before < SettledBelow ? quiet + 1 : 0;
            if (quiet == SettledRounds)
            {
                return i + 1;
            }
            before = after;
        }
        return MaxRounds;
    }
}

public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static (double P50, double P99, double Max) Summary(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return (Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Count == 0 ? double.NaN : sorted[^1]);
    }
}

/// <summary>
/// CPU time spent by this process, by PostgreSQL and by RabbitMQ, read from /proc: where a path's
/// cost goes on a machine where all three share the same cores. Other work on the same servers
/// (other databases, other vhosts) is counted too, so a quiet machine is assumed.
/// </summary>
public sealed record CpuSample(TimeSpan Process, TimeSpan Postgres, TimeSpan RabbitMq)
{
    private static readonly double TicksPerSecond = 100;

    public static CpuSample Take()
    {
        TimeSpan postgres = TimeSpan.Zero, rabbit = TimeSpan.Zero;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var name = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var used = TimeSpan.FromSeconds((long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / TicksPerSecond);
            if (name == "postgres")
            {
                postgres += used;
            }
            else if (name is "beam.smp" or "erl_child_setup" or "epmd")
            {
                rabbit += used;
            }
        }
        return new CpuSample(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, postgres, rabbit);
    }

    public static CpuSample operator -(CpuSample after, CpuSample before) =>
        new(after.Process - before.Process, after.Postgres - before.Postgres, after.RabbitMq - before.RabbitMq);

    /// <summary>Milliseconds of CPU per item: process / PostgreSQL / RabbitMQ / total.</summary>
    public string PerItem(int items) =>
        $"{Process.TotalMilliseconds / items:F2} / {Postgres.TotalMilliseconds / items:F2} / {RabbitMq.TotalMilliseconds / items:F2} / {(Process + Postgres + RabbitMq).TotalMilliseconds / items:F2}";
}

/// <summary>How a figure printed beside its target reads.</summary>
public static class Target
{
    public static string Verdict(bool met) => met ? "met" : "missed";
}
