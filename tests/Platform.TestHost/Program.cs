using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.TestHost.Messages;

// Modes (the database is PLATFORM_PG_DATABASE, the servers as in deploy/env.sh):
//   migrate                          apply the plumbing's migrations and Marten's schema, then exit 0
//   commit-and-die RUN_ID COUNT      commit COUNT outbox messages without a relay, then SIGKILL itself
//   relay [--die-after-publish]      run the outbox relay; with the flag, SIGKILL itself after the
//                                    first message the broker has confirmed, before its row is deleted
var mode = args.FirstOrDefault() ?? throw new ArgumentException("usage: migrate | commit-and-die RUN_ID COUNT | relay [--die-after-publish]");
var settings = PlatformSettings.FromEnvironment();
var database = Environment.GetEnvironmentVariable("PLATFORM_PG_DATABASE") ?? throw new InvalidOperationException("PLATFORM_PG_DATABASE is required.");

switch (mode)
{
    case "migrate":
        await using (var dataSource = NpgsqlDataSource.Create(settings.ConnectionString(database)))
        {
            using var events = new EventStore(dataSource, TestTypes.Registry(), TimeProvider.System);
            await Migrator.Apply(dataSource, EventStoreSchema.Migrations, CancellationToken.None, events.ApplySchema);
        }
        Console.WriteLine("migrated");
        return 0;

    case "commit-and-die":
    {
        var runId = Guid.Parse(args[1]);
        var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString(database));
        await Migrator.Apply(dataSource, EventStoreSchema.Migrations, CancellationToken.None);
        var store = new EventStore(dataSource, TestTypes.Registry(), TimeProvider.System);
        for (var i = 1; i <= count; i++)
        {
            await using var session = await store.OpenSession(correlationId: runId, CancellationToken.None);
            session.Publish(new TestMessage(runId, i));
            await session.Commit(CancellationToken.None);
        }
        Console.WriteLine("committed");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
        return 1;
    }

    case "relay":
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = "testhost",
            Database = database,
            ConfigureEventSourcing = o => TestTypes.Register(o.Types),
            ConfigureBus = (context, cfg) =>
            {
                if (args.Contains("--die-after-publish"))
                {
                    cfg.ConnectPublishObserver(new DieAfterPublish());
                }
            },
        });
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }

    default:
        throw new ArgumentException($"Unknown mode '{mode}'.");
}

internal static class TestTypes
{
    public static MessageTypeRegistry Registry() => Register(new MessageTypeRegistry());

    public static MessageTypeRegistry Register(MessageTypeRegistry registry) => registry
        .Register<TestMessage>("test-message")
        .Register<TestMessageApplied>("test-message-applied");
}

/// <summary>Kills the process the moment the broker has confirmed a message, before the relay deletes its row.</summary>
internal sealed class DieAfterPublish : IPublishObserver
{
    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        Console.WriteLine($"published {context.MessageId}; dying");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
