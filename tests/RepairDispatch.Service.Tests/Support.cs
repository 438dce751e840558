using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Repair.V1;
using Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Service;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

/// <summary>Ids, messages and calls the tests share.</summary>
internal static class Repair
{
    public const string Service = "repairdispatch";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A short id of its own for each test, so tests sharing a service never choose each other's providers.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];

    /// <summary>Starts the service with an observer that sees every message it consumes, and any extra settings.</summary>
    public static Task<RunningService> Start(TestEnvironment env, ConsumedMessages consumed, params string[] settings) =>
        RunningService.Start(args => RepairDispatchService.Create(args, b => b.Services.AddConsumeObserver(_ => consumed)), env, Service, settings);

    public static ClaimApproved Claim(string region, string category = "phone", Guid? claimId = null) => new()
    {
        ClaimId = claimId ?? Guid.NewGuid(),
        OrderId = Unique("O"),
        LineId = "L-1",
        BuyerId = "buyer-7",
        MerchantId = "merchant-3",
        ShippingRegion = region,
        Sku = "SKU-PH-12",
        Title = "Acme phone 12",
        Category = category,
        Brand = "Acme",
        Fault = FaultKind.QualityFault,
        FaultDescription = "The screen flickers",
        Coverage = CoverageKind.NationalJointWarranty,
        RemedyAsked = Remedy.Repair,
        RemedyGranted = Remedy.Repair,
        RepeatedFaultReplacement = false,
        AnsweredBy = ResponsibleParty.Brand,
        ShippingPaidBy = ShippingPayer.Brand,
        ApprovedAt = DateTimeOffset.UtcNow,
    };

    public static RulingIssued RepairRuling(string region, string category = "phone") => new()
    {
        CaseId = Guid.NewGuid(),
        Origin = CaseOrigin.ClaimRejectionAppealed,
        OrderId = Unique("O"),
        LineId = "L-2",
        ClaimId = Guid.NewGuid(),
        BuyerId = "buyer-8",
        Respondent = RespondentKind.Merchant,
        RespondentId = "merchant-3",
        InFavourOf = CaseParty.Buyer,
        Remedy = RulingRemedy.RepairAtPlatformCost,
        Rationale = "The fault is covered.",
        DefaultRuling = false,
        ArbitratorId = "arbitrator-1",
        ShippingRegion = region,
        Sku = "SKU-TV-55",
        Title = "Acme TV 55",
        Category = category,
        Brand = "Acme",
        FaultDescription = "No picture",
        RuledAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Registers a provider; its broker login, which the answer shows this once.</summary>
    public static async Task<ProviderLogin> RegisterProvider(this RunningService service, string id, string region, string category = "phone", int capacity = 5)
    {
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        using var response = await op.Post("/providers", new { id, regions = new[] { region }, categories = new[] { category }, capacity }, $"register-{id}");
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"registering {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var broker = (await response.Read<ProviderView>()).BrokerCredentials;
        Assert.NotNull(broker?.Password);
        return new ProviderLogin(id, broker.User, broker.Password, broker.Queue, broker.ReportsExchange);
    }

    public static async Task<HttpResponseMessage> Post(this HttpClient client, string path, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body, options: Json),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    public static async Task<T> Read<T>(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<JsonElement> Problem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<T> Get<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.Read<T>();
    }
}

/// <summary>What the service consumed, by message type and id: the witness that a message was handled.</summary>
internal sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentQueue<(Type Type, Guid? MessageId)> seen = new();

    public int Count<T>(Guid messageId) => seen.Count(s => s.Type == typeof(T) && s.MessageId == messageId);

    public Task WaitFor<T>(Guid messageId, int times = 1) =>
        Eventually.Until(() => Count<T>(messageId) >= times, TimeSpan.FromSeconds(30), $"{typeof(T).Name} {messageId} consumed {times} time(s)");

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        seen.Enqueue((typeof(T), context.MessageId));
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>
/// One provider's own queue, listened to on its own: it shows exactly what reached that provider
/// (BusProbe.ObserveQueue pools the messages of every queue it listens to).
/// </summary>
internal sealed class ProviderQueue : IAsyncDisposable
{
    private readonly ConcurrentQueue<RepairJobDispatched> received = new();
    private HostReceiveEndpointHandle handle = null!;

    public IReadOnlyList<RepairJobDispatched> Received => [.. received];

    public static async Task<ProviderQueue> Listen(BusProbe probe, string providerId)
    {
        var queue = new ProviderQueue();
        queue.handle = probe.Bus.ConnectReceiveEndpoint($"repair-provider-{providerId}", e =>
        {
            e.ConfigureConsumeTopology = false;
            e.Handler<RepairJobDispatched>(context =>
            {
                queue.received.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await queue.handle.Ready;
        return queue;
    }

    public async Task<RepairJobDispatched> WaitFor(Func<RepairJobDispatched, bool> match, string description, int seconds = 30)
    {
        RepairJobDispatched? found = null;
        await Eventually.Until(() => (found = received.FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(seconds), description);
        return found!;
    }

    public async ValueTask DisposeAsync() => await handle.StopAsync();
}

/// <summary>Reads the service's database directly: its streams, outbox and inbox.</summary>
internal sealed class Store(TestDatabase database)
{
    public static async Task<Store> Of(TestEnvironment env) => new(await env.Database(Repair.Service));

    public async Task<long> Events(string streamId, string type) =>
        await database.Scalar<long>("select count(*) from mt_events where stream_id = $1 and type = $2", streamId, type);

    public async Task<long> EventCount(string streamId) =>
        await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", streamId);

    /// <summary>The scheduled deadlines of a job waiting in the outbox: their ids (the MessageIds they will carry) and due times.</summary>
    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset DueAt, int Attempt)>> CallbackDeadlines(Guid jobId) =>
        await Rows("Platform.Contracts.Repair.V1.ProviderCallbackDeadline", jobId);

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset DueAt, int Attempt)>> FeedbackDeadlines(Guid jobId) =>
        await Rows("Platform.Contracts.Repair.V1.DeviceFeedbackDeadline", jobId);

    /// <summary>The due times the feedback deadlines waiting in the outbox carry, to the tick (the table's column keeps microseconds).</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> FeedbackDueTimesCarried(Guid jobId)
    {
        await using var command = database.DataSource.CreateCommand(
            "select body::jsonb->>'dueAt' from outbox where message_type = 'Platform.Contracts.Repair.V1.DeviceFeedbackDeadline' and body::jsonb->>'jobId' = $1");
        command.Parameters.Add(new() { Value = jobId.ToString() });
        await using var reader = await command.ExecuteReaderAsync();
        var dueTimes = new List<DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            dueTimes.Add(DateTimeOffset.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        return dueTimes;
    }

    private async Task<IReadOnlyList<(Guid, DateTimeOffset, int)>> Rows(string type, Guid jobId)
    {
        await using var command = database.DataSource.CreateCommand(
            "select id, due_at, (body::jsonb->>'attempt')::int from outbox where message_type = $1 and body::jsonb->>'jobId' = $2 order by due_at");
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = jobId.ToString() });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, DateTimeOffset, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2)));
        }
        return rows;
    }
}

/// <summary>The broker's management API, to read how a queue is bound.</summary>
internal static class Broker
{
    private static readonly HttpClient Management = TestVirtualHost.CreateManagementClient();

    /// <summary>
    /// The exchanges whose messages reach a queue: those bound to it, and those bound to them, the
    /// default exchange left out.
    /// </summary>
    public static async Task<IReadOnlySet<string>> SourcesOf(TestEnvironment env, string queue)
    {
        var vhost = Uri.EscapeDataString(env.VirtualHost.Name);
        var sources = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(await Sources($"api/queues/{vhost}/{queue}/bindings"));
        while (pending.TryDequeue(out var exchange))
        {
            if (sources.Add(exchange))
            {
                foreach (var source in await Sources($"api/exchanges/{vhost}/{Uri.EscapeDataString(exchange)}/bindings/destination"))
                {
                    pending.Enqueue(source);
                }
            }
        }
        return sources;
    }

    private static async Task<IEnumerable<string>> Sources(string path)
    {
        var bindings = await Management.GetFromJsonAsync<JsonElement>(path);
        return [.. bindings.EnumerateArray().Select(b => b.GetProperty("source").GetString()!).Where(s => s.Length > 0)];
    }
}
