using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MassTransit;
using Platform.ServiceDefaults;
using RabbitMQ.Client;

namespace Platform.Simulator;

/// <summary>A message sent on purpose where no consumer can take it; only these may end in a dead-letter queue.</summary>
public sealed record BadMessage(Guid MessageId, string Queue, string Kind, DateTimeOffset SentAt);

/// <summary>A good message sent again under the MessageId it first went with; it must change nothing the second time.</summary>
public sealed record RepeatedMessage(Guid MessageId, string MessageType, string Subject, DateTimeOffset RepeatedAt);

/// <summary>What a run under faults did to the services besides playing its stories, and what it read back.</summary>
public sealed record ChaosManifest(
    string RunId,
    int Orders,
    IReadOnlyList<BadMessage> BadMessages,
    IReadOnlyList<RepeatedMessage> RepeatedMessages,
    IReadOnlyList<Check> Checks,
    IReadOnlyList<string> Problems)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static ChaosManifest Read(string path) =>
        JsonSerializer.Deserialize<ChaosManifest>(File.ReadAllText(path), Json) ?? throw new InvalidOperationException($"{path} holds no chaos manifest.");
}

/// <summary>
/// The run's own faults under <see cref="ChaosOptions"/>: bad messages with known ids on the services' queues,
/// and good messages delivered twice. Both go through the broker as any publisher's would, so they meet the
/// service and server faults the chaos script injects meanwhile.
/// </summary>
public sealed class Saboteur(World world, ChaosOptions options, PlatformSettings settings)
{
    /// <summary>One queue of each service, with the contract it is bound to: a body of that type that cannot be read fails in the consumer.</summary>
    private static readonly (string Queue, string MessageType)[] Targets =
    [
        ("order-trade-events", "urn:message:Platform.Contracts.Trade.V1:OrderPlaced"),
        ("warranty-order-completed", "urn:message:Platform.Contracts.Orders.V1:OrderCompleted"),
        ("repairdispatch-provider-reports", "urn:message:Platform.Contracts.Repair.V1:CustomerContacted"),
        ("arbitration-repair-job-escalated", "urn:message:Platform.Contracts.Repair.V1:RepairJobEscalated"),
    ];

    private static readonly string[] Kinds = ["not JSON", "a type no consumer knows", "wrong types", "missing fields"];
    private static readonly TimeSpan RepeatWithin = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<BadMessage> bad = new();
    private readonly ConcurrentQueue<RepeatedMessage> repeated = new();
    private readonly ConcurrentDictionary<Guid, byte> chosen = new();

    /// <summary>
    /// Now and then sends a message again under the same MessageId, up to half a minute later, as a broker or a
    /// publisher that lost an acknowledgement would. A message is chosen once, whoever shows it again.
    /// </summary>
    public void MaybeRepeat(object message, Type type, Guid messageId, string subject)
    {
        if (Random.Shared.NextDouble() >= options.DuplicateShare || !chosen.TryAdd(messageId, 0))
        {
            return;
        }
        world.InBackground($"sending {type.Name} {messageId} again", async () =>
        {
            await Task.Delay(RepeatWithin * Random.Shared.NextDouble(), world.Stopping);
            await world.Reliably($"{type.Name} {messageId} again",
                c => world.Bus.Publish(message, type, context => context.MessageId = messageId, c), world.Stopping);
            repeated.Enqueue(new(messageId, type.Name, subject, DateTimeOffset.UtcNow));
        });
    }

    /// <summary>Sends the bad messages at random moments over <paramref name="over"/>, each kind to each service in turn.</summary>
    public async Task Spoil(TimeSpan over, CancellationToken ct)
    {
        var moments = Enumerable.Range(0, options.BadMessages).Select(_ => over * Random.Shared.NextDouble()).Order().ToList();
        var started = DateTimeOffset.UtcNow;
        for (var i = 0; i < moments.Count; i++)
        {
            var wait = started + moments[i] - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }
            var (queue, type) = Targets[i / Kinds.Length % Targets.Length];
            var kind = Kinds[i % Kinds.Length];
            var id = Guid.NewGuid();
            var body = kind switch
            {
                "not JSON" => "{ this is not json",
                "a type no consumer knows" => Envelope(id, "urn:message:Nobody.Knows:ThisType", """{"anything": 1}"""),
                "wrong types" => Envelope(id, type, """{"orderId": 12, "lineId": {}, "claimId": "not-a-guid", "lines": "none", "completedAt": true}"""),
                _ => Envelope(id, type, "{}"),
            };
            await world.Reliably($"bad message {id} to {queue}", c => SendRaw(queue, id, body, c), ct);
            bad.Enqueue(new(id, queue, kind, DateTimeOffset.UtcNow));
        }
    }

    public ChaosManifest Manifest(SimulationSummary summary) =>
        new(world.Plan.RunId, world.Plan.Orders.Count, [.. bad], [.. repeated.OrderBy(r => r.RepeatedAt)], summary.Checks, summary.Problems);

    /// <summary>Straight to the queue through the default exchange, confirmed by the broker, as a broken publisher would send it.</summary>
    private async Task SendRaw(string queue, Guid id, string body, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            HostName = settings.RabbitHost, Port = settings.RabbitPort, UserName = settings.RabbitUser,
            Password = settings.RabbitPassword, VirtualHost = settings.RabbitVirtualHost, ClientProvidedName = "simulator saboteur",
        };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = id.ToString(), Persistent = true };
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body), ct);
    }

    private static string Envelope(Guid id, string messageType, string message) =>
        $$"""{"messageId": "{{id}}", "messageType": ["{{messageType}}"], "message": {{message}}}""";
}
