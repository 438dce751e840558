using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.TestHost.Messages;

namespace Platform.Foundation.Tests;

/// <summary>A database of its own for one test, with the event store's schema, dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static readonly PlatformSettings Settings = PlatformSettings.FromEnvironment();

    private TestDatabase(string name)
    {
        Name = name;
        DataSource = NpgsqlDataSource.Create(Settings.ConnectionString(name));
    }

    public string Name { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> Create(bool migrate = true)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using (var admin = NpgsqlDataSource.Create(Settings.ConnectionString("postgres")))
        await using (var command = admin.CreateCommand($"create database \"{name}\""))
        {
            await command.ExecuteNonQueryAsync();
        }
        var database = new TestDatabase(name);
        if (migrate)
        {
            await Migrator.Apply(database.DataSource, EventStoreSchema.Migrations, CancellationToken.None);
        }
        return database;
    }

    public EventStore Store(TimeProvider? clock = null) => new(DataSource, Types(), clock ?? TimeProvider.System);

    public static MessageTypeRegistry Types() => new MessageTypeRegistry()
        .Register<TestMessage>("test-message")
        .Register<TestMessageApplied>("test-message-applied");

    public async Task<T> Scalar<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Settings.ConnectionString("postgres"));
        await using var command = admin.CreateCommand($"drop database if exists \"{Name}\" with (force)");
        await command.ExecuteNonQueryAsync();
    }
}

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the description when the deadline passes.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string description)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"Not reached within {timeout}: {description}");
            }
            await Task.Delay(50);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string description) =>
        Until(() => Task.FromResult(condition()), timeout, description);
}

/// <summary>What a receiver saw: every delivery, including the ones its inbox turned away.</summary>
public sealed class Deliveries
{
    private readonly ConcurrentQueue<(TestMessage Message, Guid MessageId, DateTimeOffset At)> all = new();

    public Guid RunId { get; init; }

    public void Add(TestMessage message, Guid messageId) => all.Enqueue((message, messageId, DateTimeOffset.UtcNow));

    public IReadOnlyList<(TestMessage Message, Guid MessageId, DateTimeOffset At)> All => [.. all];

    public int Count => all.Count;

    private int handled;

    /// <summary>Deliveries whose handling has finished, applied or turned away.</summary>
    public int Handled => Volatile.Read(ref handled);

    public void MarkHandled() => Interlocked.Increment(ref handled);
}

/// <summary>Applies each TestMessage of its run once, through the inbox, as an event on a stream of its own.</summary>
public sealed class ApplyingConsumer(EventStore store, Deliveries deliveries) : IConsumer<TestMessage>
{
    public async Task Consume(ConsumeContext<TestMessage> context)
    {
        if (context.Message.RunId != deliveries.RunId)
        {
            return;
        }
        deliveries.Add(context.Message, context.MessageId!.Value);
        try
        {
            await using var session = await store.OpenSession(context, "applying", context.CancellationToken);
            if (await session.AlreadyConsumed(context.CancellationToken))
            {
                return;
            }
            var stream = await session.Load($"applied-{context.Message.Number}", "applied", 0, (count, _) => count + 1, context.CancellationToken);
            session.Append(stream, [new TestMessageApplied(context.Message.RunId, context.Message.Number)]);
            await session.Commit(context.CancellationToken);
        }
        finally
        {
            deliveries.MarkHandled();
        }
    }
}

public static class Hosts
{
    /// <summary>
    /// A host with the real defaults on <paramref name="database"/>: migrations, the outbox relay,
    /// and, for a receiver, the applying consumer on a durable queue of its own that expires when unused.
    /// </summary>
    public static async Task<IHost> Start(TestDatabase database, Deliveries? receiver = null, TimeProvider? clock = null)
    {
        var builder = Host.CreateApplicationBuilder();
        var serviceName = $"es-test-{Guid.NewGuid():N}"[..20];
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = serviceName,
            Database = database.Name,
            ConfigureEventSourcing = o =>
            {
                o.Types.Register<TestMessage>("test-message").Register<TestMessageApplied>("test-message-applied");
                o.Relay.MaxIdle = TimeSpan.FromMilliseconds(500);
                o.Relay.PublishTimeout = TimeSpan.FromSeconds(3);
            },
            ConfigureConsumers = x =>
            {
                if (receiver is not null)
                {
                    x.AddConsumer<ApplyingConsumer>().ExcludeFromConfigureEndpoints();
                }
            },
            ConfigureBus = (context, cfg) =>
            {
                if (receiver is not null)
                {
                    cfg.ReceiveEndpoint($"{serviceName}-applying", e =>
                    {
                        e.QueueExpiration = TimeSpan.FromMinutes(5);
                        e.ConfigureConsumer<ApplyingConsumer>(context);
                    });
                }
            },
        });
        if (receiver is not null)
        {
            builder.Services.AddSingleton(receiver);
        }
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

/// <summary>Platform.TestHost as a child process, so that a test can SIGKILL real plumbing mid-flight.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ChildProcess(Process process)
    {
        this.process = process;
    }

    public static ChildProcess Start(string database, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Platform.TestHost.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["PLATFORM_PG_DATABASE"] = database;
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) child.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child.output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public string Output => string.Join('\n', output);

    public bool HasExited => process.HasExited;

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The child process did not exit within {timeout}. Output:\n{Output}");
        }
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
