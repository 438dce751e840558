using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.TestHost.Messages;

namespace Platform.Foundation.Tests;

public static class TestDatabases
{
    public static EventStore Store(this TestDatabase database, TimeProvider? clock = null) => new(database.DataSource, Types(), clock ?? TimeProvider.System);

    public static MessageTypeRegistry Types() => Register(new MessageTypeRegistry());

    public static MessageTypeRegistry Register(MessageTypeRegistry types) => types
        .Register<TestMessage>("test-message")
        .Register<TestMessageApplied>("test-message-applied")
        .Register<WireSample>("wire-sample");
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
    /// <paramref name="settings"/> override the test servers' (a broker of the test's own), and
    /// <paramref name="relay"/> the relay's test settings.
    /// </summary>
    public static async Task<IHost> Start(TestDatabase database, Deliveries? receiver = null, TimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<OutboxRelayOptions>? relay = null)
    {
        var builder = Host.CreateApplicationBuilder();
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        var serviceName = $"es-test-{Guid.NewGuid():N}"[..20];
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = serviceName,
            Database = database.Name,
            ConfigureEventSourcing = o =>
            {
                TestDatabases.Register(o.Types);
                o.Relay.MaxIdle = TimeSpan.FromMilliseconds(500);
                o.Relay.PublishTimeout = TimeSpan.FromSeconds(3);
                relay?.Invoke(o.Relay);
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

    public static ChildProcess Start(string database, params string[] args) => Start(database, new Dictionary<string, string>(), args);

    /// <param name="environment">Settings of the child's own, on top of the database it is given.</param>
    public static ChildProcess Start(string database, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Platform.TestHost.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["PLATFORM_PG_DATABASE"] = database;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
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
