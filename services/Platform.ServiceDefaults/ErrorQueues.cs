using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.ServiceDefaults;

/// <summary>A message MassTransit moved to an _error queue, with the fault it recorded.</summary>
public sealed record FaultedMessage(string Queue, string? MessageId, string? MessageType, string? ExceptionType, string? Reason, string? FaultedAt, string BodyPreview);

/// <summary>
/// Lists what sits in the dead-letter queues and moves it back to the queue it came from, once the
/// cause is fixed. _error holds what a consumer failed on, what no consumer of the queue takes, and
/// what is too large, each with its reason; _skipped is where MassTransit put a message no consumer
/// took before the services sent those to _error too, and is still read so that none is stranded.
/// Each message is acknowledged in the error queue only after the broker has confirmed its copy in
/// the original queue, so a crash in between duplicates, never loses.
/// </summary>
public sealed class ErrorQueues(PlatformSettings settings, int managementPort = 15672)
{
    public static readonly IReadOnlyList<string> DeadLetterSuffixes = ["_error", "_skipped"];
    private static readonly string[] FaultHeaders = ["MT-Fault-", "MT-Reason", "MT-Host-"];

    public async Task<IReadOnlyList<(string Queue, long Messages)>> List(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{settings.RabbitHost}:{managementPort}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.RabbitUser}:{settings.RabbitPassword}")));
        var queues = await client.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(settings.RabbitVirtualHost)}?columns=name,messages", ct);
        return queues.EnumerateArray()
            .Select(q => (Queue: q.GetProperty("name").GetString()!, Messages: q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0))
            .Where(q => DeadLetterSuffixes.Any(suffix => q.Queue.EndsWith(suffix, StringComparison.Ordinal)))
            .OrderBy(q => q.Queue, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The messages each queue holds, leaving out those that do not exist (MassTransit declares a dead-letter queue when it first needs it).</summary>
    public async Task<IReadOnlyList<(string Queue, long Messages)>> Depths(IEnumerable<string> queues, CancellationToken ct)
    {
        await using var connection = await Factory().CreateConnectionAsync(ct);
        var depths = new List<(string, long)>();
        foreach (var queue in queues)
        {
            // A passive declare of an absent queue closes its channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                depths.Add((queue, (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount));
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
            {
                // Never declared: nothing was ever dead-lettered there.
            }
        }
        return depths;
    }

    /// <summary>Reads up to <paramref name="max"/> messages without taking them: closing the channel returns them to the queue.</summary>
    public async Task<IReadOnlyList<FaultedMessage>> Peek(string errorQueue, int max, CancellationToken ct)
    {
        SourceOf(errorQueue);
        await using var connection = await Factory().CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var messages = new List<FaultedMessage>();
        while (messages.Count < max && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } delivery)
        {
            messages.Add(Describe(errorQueue, delivery));
        }
        await channel.CloseAsync(ct);
        return messages;
    }

    /// <summary>
    /// Moves up to <paramref name="max"/> of the messages the error queue holds now back to the queue whose
    /// name it carries. Only those there when the move starts: a message that fails again comes back behind
    /// them, and moving it again would only send it round until <paramref name="max"/>.
    /// </summary>
    public async Task<int> MoveBack(string errorQueue, int max, CancellationToken ct)
    {
        var target = SourceOf(errorQueue);
        await using var connection = await Factory().CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var held = (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount;
        var moved = 0;
        while (moved < Math.Min(max, held) && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } delivery)
        {
            var properties = new BasicProperties(delivery.BasicProperties)
            {
                Headers = delivery.BasicProperties.Headers?
                    .Where(h => !FaultHeaders.Any(prefix => h.Key.StartsWith(prefix, StringComparison.Ordinal)))
                    .ToDictionary(h => h.Key, h => h.Value),
            };
            await channel.BasicPublishAsync(string.Empty, target, mandatory: true, properties, delivery.Body, ct);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
            moved++;
        }
        return moved;
    }

    /// <summary>The queue a dead-letter queue holds messages of.</summary>
    private static string SourceOf(string queue)
    {
        var suffix = DeadLetterSuffixes.FirstOrDefault(s => queue.EndsWith(s, StringComparison.Ordinal) && queue.Length > s.Length)
            ?? throw new ArgumentException($"'{queue}' is not a dead-letter queue (its name must end in {string.Join(" or ", DeadLetterSuffixes)}).", nameof(queue));
        return queue[..^suffix.Length];
    }

    private ConnectionFactory Factory() => settings.RabbitConnectionFactory("platform-cli errors");

    private static FaultedMessage Describe(string queue, BasicGetResult delivery)
    {
        var headers = delivery.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;

        var body = Encoding.UTF8.GetString(delivery.Body.Span);
        string? messageType = null;
        try
        {
            using var envelope = JsonDocument.Parse(body);
            if (envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array)
            {
                messageType = types.EnumerateArray().FirstOrDefault().GetString();
            }
        }
        catch (JsonException)
        {
            // A body that is not JSON is itself the likely reason it faulted; it is shown as it is.
        }
        var reason = Header("MT-Fault-Message")
            ?? (queue.EndsWith("_skipped", StringComparison.Ordinal)
                ? $"no consumer of {SourceOf(queue)} could read it as {messageType ?? "any type it knows"}: the type is not one the queue takes, or the body does not fit it"
                : Header("MT-Reason"));
        return new FaultedMessage(queue, delivery.BasicProperties.MessageId, messageType, Header("MT-Fault-ExceptionType"),
            reason, Header("MT-Fault-Timestamp"), body.Length > 300 ? body[..300] + "…" : body);
    }
}
