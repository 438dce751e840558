using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Order.Domain;
using Order.Service.Features.RecordTradeEvents;
using Order.Service.Views;
using Platform.Contracts.Orders.V1;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Order.Service.Tests.Support;

/// <summary>
/// One environment, one Order service and one bus probe per test class; each test works on orders
/// of its own. The probe plays the trade system and listens to what the service publishes.
/// </summary>
public abstract class OrderServiceTest(double clockSpeed = 1) : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly MessageTypeRegistry StoredNames = EventTypes.Register(new MessageTypeRegistry());

    protected TestEnvironment Env { get; private set; } = null!;
    protected RunningService Service { get; private set; } = null!;
    protected BusProbe Probe { get; private set; } = null!;
    private protected MetricRecorder Metrics { get; private set; } = null!;
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        Env = await TestEnvironment.Create(clockSpeed);
        Service = await RunningService.Start(args => OrderService.Create(args), Env, OrderService.Name);
        Metrics = new MetricRecorder(Service.Services, OrderMetrics.MeterName);
        database = await Env.Database(OrderService.Name);
        Probe = await BusProbe.Start(Env);
        await Probe.Observe<OrderCompleted>();
        await Probe.Observe<OrderLineRefunded>();
        await Probe.Observe<AutomaticReceiptConfirmationDue>();
    }

    public async Task DisposeAsync()
    {
        Metrics.Dispose();
        await Probe.DisposeAsync();
        await Service.DisposeAsync();
        await Env.DisposeAsync();
    }

    private protected TradeOrder NewOrder(string? buyerId = null, string? merchantId = null) =>
        TradeOrder.New(Env.TimeProvider, buyerId, merchantId);

    /// <summary>Publishes the trade events one after the other, as the trade system would.</summary>
    protected async Task Publish(params object[] tradeEvents)
    {
        foreach (var tradeEvent in tradeEvents)
        {
            await Probe.Bus.Publish(tradeEvent);
        }
    }

    protected Task<OrderCompleted> Completion(string orderId) =>
        Probe.WaitFor<OrderCompleted>(m => m.OrderId == orderId, Patience, $"order {orderId} completes");

    protected IReadOnlyList<OrderCompleted> CompletionsOf(string orderId) =>
        [.. Probe.Received<OrderCompleted>().Select(o => o.Message).Where(m => m.OrderId == orderId)];

    /// <summary>Publishes with a chosen MessageId and waits until the service has consumed it: a witness that it was applied, or refused, or found a duplicate.</summary>
    protected async Task PublishAndWaitConsumed<T>(T message, Guid messageId) where T : class
    {
        await Probe.Publish(message, messageId);
        await WaitConsumed(messageId, TradeEventsConsumer.Name);
    }

    protected Task WaitConsumed(Guid messageId, string consumer) =>
        Eventually.Until(
            () => database.Scalar<bool>("select exists (select 1 from inbox where message_id = $1 and consumer = $2)", messageId, consumer),
            Patience, $"message {messageId} is consumed by {consumer}");

    /// <summary>How many events of a type the order's stream holds.</summary>
    private protected Task<long> StoredEvents<TEvent>(string orderId) where TEvent : OrderEvent =>
        database.Scalar<long>("select count(*) from mt_events where stream_id = $1 and type = $2", OrderStream.StreamId(orderId), StoredNames.NameOf(typeof(TEvent)));

    protected Task<long> ScheduledConfirmations(string orderId) =>
        database.Scalar<long>("select count(*) from outbox where scheduled and body::jsonb->>'orderId' = $1", orderId);

    /// <summary>Takes the order's scheduled confirmations out of the outbox before they fall due; returns how many.</summary>
    protected Task<long> DropScheduledConfirmations(string orderId) =>
        database.Scalar<long>("with dropped as (delete from outbox where scheduled and body::jsonb->>'orderId' = $1 returning 1) select count(*) from dropped", orderId);

    protected async Task<IReadOnlyList<Guid>> ScheduledConfirmationIds(string orderId) =>
        await database.Scalar<Guid[]>("select coalesce(array_agg(id), '{}') from outbox where scheduled and body::jsonb->>'orderId' = $1", orderId);

    protected Task<HttpResponseMessage> GetOrder(string orderId, string role, string subjectId) =>
        Service.As(role, subjectId).GetAsync($"/orders/{Uri.EscapeDataString(orderId)}");

    protected async Task<OrderView> ReadOrder(string orderId, string role = PlatformRoles.Operator, string subjectId = "operator-1")
    {
        using var response = await GetOrder(orderId, role, subjectId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderView>(ApiJson))!;
    }

    /// <summary>The order as an operator sees it, once it has been placed.</summary>
    protected async Task<string> WaitPlaced(string orderId)
    {
        string? body = null;
        await Eventually.Until(async () =>
        {
            using var response = await GetOrder(orderId, PlatformRoles.Operator, "operator-1");
            body = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
            return body is not null;
        }, Patience, $"order {orderId} is placed");
        return body!;
    }

    /// <summary>Waits for the service's refusals of the order's messages to include every one of the codes.</summary>
    private protected async Task<IReadOnlyList<RefusedMessage>> WaitRefused(string orderId, params OrderRefusalCode[] codes)
    {
        IReadOnlyList<RefusedMessage> found = [];
        await Eventually.Until(async () =>
        {
            var all = await Service.As(PlatformRoles.Operator, "operator-1")
                .GetFromJsonAsync<List<RefusedMessage>>("/operations/refusals?limit=1000", ApiJson);
            found = [.. all!.Where(r => r.Body is { ValueKind: JsonValueKind.Object } body
                && body.TryGetProperty("orderId", out var id) && id.GetString() == orderId)];
            return codes.All(code => found.Any(r => r.Code == code.ToString()));
        }, Patience, $"the refusals of order {orderId} include {string.Join(", ", codes)}");
        return found;
    }
}
