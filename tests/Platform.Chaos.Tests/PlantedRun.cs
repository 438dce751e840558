using System.Text;
using System.Text.Json;
using Npgsql;
using Platform.EventSourcing;
using Platform.Simulator;
using Platform.Testing;
using RabbitMQ.Client;

namespace Platform.Chaos.Tests;

/// <summary>One service's store in a schema of its own, so that a test plants a run without creating databases.</summary>
public sealed class PlantedStore(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource => dataSource;

    public static async Task<PlantedStore> Create(TestDatabase database)
    {
        var schema = $"s_{Guid.NewGuid():N}";
        await using (var create = database.DataSource.CreateCommand($"create schema {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        // A planted record need not survive a crash of the server: its many small commits skip waiting for the disk.
        var builder = new NpgsqlConnectionStringBuilder(TestDatabase.Settings.ConnectionString(database.Name)) { SearchPath = schema, Options = "-c synchronous_commit=off" };
        var store = new PlantedStore(NpgsqlDataSource.Create(builder.ConnectionString));
        using var events = new EventStore(store.DataSource, new MessageTypeRegistry(), TimeProvider.System, schema: schema);
        await Migrator.Apply(store.DataSource, EventStoreSchema.Migrations, CancellationToken.None, events.ApplySchema);
        return store;
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}

/// <summary>
/// The record a chaos run would leave, written by hand into four fresh event stores and a virtual host: one order
/// of two lines, both warranted; a repair called back in time and completed; one that breached twice, was
/// escalated and ruled on; one still waiting for its callback; one deliberately bad message dead-lettered, and
/// one message delivered twice. Every invariant holds on it until a test plants a violation.
/// </summary>
public sealed class PlantedRun : IAsyncDisposable
{
    /// <summary>The services' clock when the run stopped.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly Guid BadMessage = Guid.NewGuid();
    public static readonly Guid OrderPlacedMessage = Guid.NewGuid();
    public static readonly Guid RepairedClaim = Guid.NewGuid();
    public static readonly Guid EscalatedClaim = Guid.NewGuid();
    public static readonly Guid WaitingClaim = Guid.NewGuid();
    public static readonly Guid RepairedJob = Guid.NewGuid();
    public static readonly Guid EscalatedJob = Guid.NewGuid();
    public static readonly Guid WaitingJob = Guid.NewGuid();
    public const string DeadLetterQueue = "order-trade-events_error";

    private PlantedRun(PlantedStore order, PlantedStore warranty, PlantedStore repairDispatch, PlantedStore arbitration, TestVirtualHost virtualHost)
    {
        Order = order;
        Warranty = warranty;
        RepairDispatch = repairDispatch;
        Arbitration = arbitration;
        VirtualHost = virtualHost;
    }

    public PlantedStore Order { get; }
    public PlantedStore Warranty { get; }
    public PlantedStore RepairDispatch { get; }
    public PlantedStore Arbitration { get; }
    public TestVirtualHost VirtualHost { get; }

    public ChaosManifest Manifest { get; set; } = new("planted", 1,
        [new BadMessage(BadMessage, "order-trade-events", "not JSON", Now)],
        [new RepeatedMessage(OrderPlacedMessage, "OrderPlaced", "o-1", Now)],
        [new Check("orders completed", 1, 1)],
        []);

    public static async Task<PlantedRun> Create(TestDatabase database)
    {
        var run = new PlantedRun(await PlantedStore.Create(database), await PlantedStore.Create(database), await PlantedStore.Create(database),
            await PlantedStore.Create(database), await TestVirtualHost.Create());
        await run.Plant();
        return run;
    }

    public async Task<IReadOnlyList<InvariantResult>> Check()
    {
        var settings = TestDatabase.Settings with { RabbitVirtualHost = VirtualHost.Name };
        var databases = new ServiceDatabases(Order.DataSource, Warranty.DataSource, RepairDispatch.DataSource, Arbitration.DataSource);
        return await new InvariantChecker(databases, settings, Manifest, Now, TimeSpan.Zero).CheckAll(CancellationToken.None);
    }

    /// <summary>Appends one event in a transaction of its own, at the stream's next version unless told another.</summary>
    public static async Task Append(PlantedStore database, string stream, string type, object data, Guid? messageId = null, long? version = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var next = new NpgsqlCommand("select coalesce(max(version), 0) + 1 from mt_events where stream_id = $1", connection, tx);
        next.Parameters.Add(new() { Value = stream });
        var at = version ?? (long)(await next.ExecuteScalarAsync())!;
        await using var advance = new NpgsqlCommand("""
            insert into mt_streams (id, type, version, timestamp, created) values ($1, 'planted', $2, $3, $3)
                on conflict (id) do update set version = greatest(mt_streams.version, excluded.version)
            """, connection, tx);
        advance.Parameters.Add(new() { Value = stream });
        advance.Parameters.Add(new() { Value = at });
        advance.Parameters.Add(new() { Value = Now });
        await advance.ExecuteNonQueryAsync();
        // As Marten's append leaves it: the message id and the unit of work among the event's headers.
        await using var insert = new NpgsqlCommand("""
            insert into mt_events (seq_id, id, stream_id, version, type, data, headers, timestamp)
            values (nextval('mt_events_sequence'), gen_random_uuid(), $1, $2, $3, $4::jsonb, $5::jsonb, $6)
            """, connection, tx);
        insert.Parameters.Add(new() { Value = stream });
        insert.Parameters.Add(new() { Value = at });
        insert.Parameters.Add(new() { Value = type });
        insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(data) });
        insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(new Dictionary<string, string?> { ["message-id"] = messageId?.ToString(), ["unit-of-work"] = Guid.NewGuid().ToString() }) });
        insert.Parameters.Add(new() { Value = Now });
        await insert.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    public static async Task Execute(PlantedStore database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task Consumed(PlantedStore database, Guid messageId, string consumer)
    {
        await using var command = database.DataSource.CreateCommand("insert into inbox (message_id, consumer, processed_at) values ($1, $2, $3)");
        command.Parameters.Add(new() { Value = messageId });
        command.Parameters.Add(new() { Value = consumer });
        command.Parameters.Add(new() { Value = Now });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Puts a message in a dead-letter queue as MassTransit leaves it there: its MessageId, and the fault as a header.</summary>
    public async Task DeadLetter(string queue, Guid messageId, string reason)
    {
        var settings = TestDatabase.Settings;
        var factory = new ConnectionFactory
        {
            HostName = settings.RabbitHost, Port = settings.RabbitPort, UserName = settings.RabbitUser,
            Password = settings.RabbitPassword, VirtualHost = VirtualHost.Name,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        var properties = new BasicProperties
        {
            MessageId = messageId.ToString(),
            Persistent = true,
            Headers = new Dictionary<string, object?> { ["MT-Fault-Message"] = Encoding.UTF8.GetBytes(reason) },
        };
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes("{ this is not json"));
    }

    public static object Dispatch(Guid job, int attempt, string provider, DateTimeOffset deadline) =>
        new { jobId = job, attempt, providerId = provider, callbackDeadlineAt = deadline };

    public static object Breach(Guid job, int attempt, DateTimeOffset deadline) =>
        new { jobId = job, attempt, deadlineAt = deadline, recordedAt = deadline.AddMinutes(5) };

    private async Task Plant()
    {
        var completed = Guid.NewGuid();
        await Append(Order, "order-o-1", "order.order-placed", new { orderId = "o-1" }, OrderPlacedMessage);
        await Consumed(Order, OrderPlacedMessage, "order-trade-events");
        await Append(Order, "order-o-1", "order.order-completed", new { orderId = "o-1", lines = new[] { new { line = new { lineId = "L1" } }, new { line = new { lineId = "L2" } } } });

        foreach (var line in new[] { "L1", "L2" })
        {
            await Append(Warranty, $"warranty-file/o-1/{line}", "warranty.warranty-activated", new { orderId = "o-1", lineId = line }, completed);
        }
        await Consumed(Warranty, completed, "warranty-order-completed");
        await Append(Warranty, "warranty-file/o-1/L1", "warranty.claim-approved", new { claimId = RepairedClaim, remedy = "Repair", answerer = "Brand" });
        await Append(Warranty, "warranty-file/o-1/L1", "warranty.claim-resolved", new { claimId = RepairedClaim });
        await Append(Warranty, "warranty-file/o-1/L1", "warranty.claim-approved", new { claimId = WaitingClaim, remedy = "Repair", answerer = "ExtendedWarrantyProgramme" });
        await Append(Warranty, "warranty-file/o-1/L2", "warranty.claim-approved", new { claimId = EscalatedClaim, remedy = "Repair", answerer = "Brand" });
        await Append(Warranty, "warranty-file/o-1/L2", "warranty.claim-resolved", new { claimId = EscalatedClaim });

        var repaired = $"repair-job-{RepairedJob}";
        await Append(RepairDispatch, repaired, "repairdispatch.repair-job-opened", new { jobId = RepairedJob, source = new { kind = "ApprovedClaim", id = RepairedClaim } });
        await Append(RepairDispatch, repaired, "repairdispatch.repair-job-dispatched", Dispatch(RepairedJob, 1, "p-1", Now.AddDays(-10)));
        await Append(RepairDispatch, repaired, "repairdispatch.customer-contacted", new { jobId = RepairedJob, attempt = 1, onTime = true });
        await Append(RepairDispatch, repaired, "repairdispatch.repair-job-completed", new { jobId = RepairedJob, attempt = 1 });

        var escalated = $"repair-job-{EscalatedJob}";
        await Append(RepairDispatch, escalated, "repairdispatch.repair-job-opened", new { jobId = EscalatedJob, source = new { kind = "ApprovedClaim", id = EscalatedClaim } });
        foreach (var (attempt, provider) in new[] { (1, "p-2"), (2, "p-3") })
        {
            var deadline = Now.AddDays(-9 + attempt);
            await Append(RepairDispatch, escalated, "repairdispatch.repair-job-dispatched", Dispatch(EscalatedJob, attempt, provider, deadline));
            await Append(RepairDispatch, escalated, "repairdispatch.provider-callback-sla-breached", Breach(EscalatedJob, attempt, deadline));
            await Append(RepairDispatch, $"provider-{provider}", "repairdispatch.provider-callback-breach-recorded", new { jobId = EscalatedJob, attempt });
        }
        await Append(RepairDispatch, escalated, "repairdispatch.repair-job-escalated", new { jobId = EscalatedJob, attemptsMade = 2 });

        var waiting = $"repair-job-{WaitingJob}";
        await Append(RepairDispatch, waiting, "repairdispatch.repair-job-opened", new { jobId = WaitingJob, source = new { kind = "ApprovedClaim", id = WaitingClaim } });
        await Append(RepairDispatch, waiting, "repairdispatch.repair-job-dispatched", Dispatch(WaitingJob, 1, "p-1", Now.AddHours(12)));

        var caseId = Guid.NewGuid();
        await Append(Arbitration, $"arbitration-case-{caseId}", "arbitration.case-opened",
            new { caseId, origin = new Dictionary<string, object> { ["$type"] = "RepairJobEscalated", ["jobId"] = EscalatedJob, ["claimId"] = EscalatedClaim } });
        await Append(Arbitration, $"arbitration-case-{caseId}", "arbitration.case-ruled", new { caseId });

        await DeadLetter(DeadLetterQueue, BadMessage, "The message could not be read as JSON.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in new[] { Order, Warranty, RepairDispatch, Arbitration })
        {
            await store.DisposeAsync();
        }
        await VirtualHost.DisposeAsync();
    }
}
