using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.EventSourcing;
using Platform.Testing;

namespace Platform.Foundation.Tests;

[JsonConverter(typeof(JsonStringEnumConverter<WireShade>))]
public enum WireShade
{
    Plain,
    ExtendedWarrantyProgramme,
}

public sealed record WireLine(string Title, decimal UnitPrice, int Quantity);

/// <summary>A message with what a contract carries: money, an enum, an instant, a list, a null, text to escape.</summary>
public sealed record WireSample(Guid RunId, decimal Amount, WireShade Shade, DateTimeOffset At, IReadOnlyList<WireLine> Lines, string? Note, string Title);

/// <summary>The relay sends the stored JSON through (no deserialising and serialising again): a consumer must see what a publish of the object shows it.</summary>
public sealed class PassthroughTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private sealed record Seen(ConsumeContext<WireSample> Context, JsonObject Envelope);

    [Fact]
    public async Task A_relayed_message_reaches_a_consumer_as_a_direct_publish_of_the_same_object_does()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MassTransit" or "Platform.EventSourcing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var database = await TestDatabase.Create();
        using var host = await Hosts.Start(database);
        var bus = host.Services.GetRequiredService<IBusControl>();
        var runId = Guid.NewGuid();
        var seen = new ConcurrentDictionary<Guid, Seen>();
        var handle = bus.ConnectReceiveEndpoint($"es-test-wire-{runId:N}"[..30], e =>
        {
            ((IRabbitMqReceiveEndpointConfigurator)e).QueueExpiration = TimeSpan.FromMinutes(5);
            e.Handler<WireSample>(c =>
            {
                if (c.Message.RunId == runId)
                {
                    seen[c.MessageId!.Value] = new Seen(c, JsonNode.Parse(c.ReceiveContext.Body.GetString())!.AsObject());
                }
                return Task.CompletedTask;
            });
        });
        await handle.Ready;

        var sample = new WireSample(runId, 1234.50m, WireShade.ExtendedWarrantyProgramme, new DateTimeOffset(2026, 12, 6, 11, 52, 7, 123, TimeSpan.Zero),
            [new WireLine("全国联保 \"quoted\" <b>&</b>", 0.10m, 3), new WireLine("plain", 99m, 1)], null, "tab\tand\u2028separator");
        var correlation = Guid.NewGuid();
        var consumed = Guid.NewGuid();
        var trace = ActivityTraceId.CreateRandom();
        var traceParent = $"00-{trace}-{ActivitySpanId.CreateRandom()}-01";

        // What the relay did before it passed stored JSON through: publish the object, stamped the same way.
        var direct = Guid.NewGuid();
        using (new Activity("direct").SetParentId(traceParent).Start())
        {
            await bus.Publish(sample, c =>
            {
                c.MessageId = direct;
                c.CorrelationId = correlation;
                c.InitiatorId = consumed;
                c.Headers.Set(PlatformHeaders.CausationId, consumed.ToString());
            });
        }
        Guid relayed;
        await using (var session = await database.Store().OpenSession(null, new MessageMetadata(consumed, correlation, null, traceParent, null), CancellationToken.None))
        {
            relayed = session.Publish(sample);
            await session.Commit(CancellationToken.None);
        }

        await Eventually.Until(() => seen.ContainsKey(direct) && seen.ContainsKey(relayed), Deadline, "both messages are consumed");
        var (expected, actual) = (seen[direct], seen[relayed]);

        Assert.Equal((relayed, correlation, consumed), (actual.Context.MessageId, actual.Context.CorrelationId, actual.Context.InitiatorId));
        Assert.Equal(consumed.ToString(), actual.Context.Headers.Get<string>(PlatformHeaders.CausationId));
        Assert.Equal(expected.Context.SupportedMessageTypes, actual.Context.SupportedMessageTypes);
        Assert.Equal(expected.Context.ReceiveContext.ContentType, actual.Context.ReceiveContext.ContentType);
        Assert.Equal(
            expected.Context.Headers.GetAll().Select(h => h.Key).Order(),
            actual.Context.Headers.GetAll().Select(h => h.Key).Order());
        Assert.Contains(trace.ToString(), actual.Context.Headers.Get<string>("MT-Activity-Id"), StringComparison.Ordinal);

        // The message itself, as JSON and as the consumer reads it.
        Assert.True(JsonNode.DeepEquals(expected.Envelope["message"], actual.Envelope["message"]),
            $"relayed {actual.Envelope["message"]!.ToJsonString()}\ndirect {expected.Envelope["message"]!.ToJsonString()}");
        Assert.Equal(sample with { Lines = [] }, actual.Context.Message with { Lines = [] });
        Assert.Equal(sample.Lines, actual.Context.Message.Lines);

        // The rest of the envelope: addresses, message types, host; only what differs per send set aside.
        foreach (var perSend in new[] { "messageId", "conversationId", "sentTime", "headers", "message" })
        {
            expected.Envelope.Remove(perSend);
            actual.Envelope.Remove(perSend);
        }
        Assert.True(JsonNode.DeepEquals(expected.Envelope, actual.Envelope), $"relayed {actual.Envelope.ToJsonString()}\ndirect {expected.Envelope.ToJsonString()}");
        await handle.StopAsync();
        await host.StopAsync();
    }
}
