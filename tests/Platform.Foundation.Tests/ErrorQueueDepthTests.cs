using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.TestHost.Messages;

namespace Platform.Foundation.Tests;

public sealed class ErrorQueueDepthTests
{
    [Fact]
    public async Task The_gauge_reads_each_error_queue_from_the_broker_zero_before_it_exists()
    {
        await using var virtualHost = await TestVirtualHost.Create();
        var settings = TestDatabase.Settings with { RabbitVirtualHost = virtualHost.Name };
        var endpoints = new EndpointDefaults(quorumQueues: false);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, settings.RabbitVirtualHost, h =>
            {
                h.Username(settings.RabbitUser);
                h.Password(settings.RabbitPassword);
            });
            cfg.ReceiveEndpoint("depth-test-failing", e =>
            {
                endpoints.Apply(e);
                e.Handler<TestMessage>(_ => throw new InvalidOperationException("always fails"));
            });
        });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var depths = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == ErrorQueueDepth.DepthName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => depths[(string)tags.ToArray().Single(t => t.Key == "queue").Value!] = value);
        listener.Start();

        await bus.StartAsync();
        using var depth = new ErrorQueueDepth(settings, endpoints, meters, NullLogger<ErrorQueueDepth>.Instance);
        await depth.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.Until(() =>
            {
                listener.RecordObservableInstruments();
                return depths.TryGetValue("depth-test-failing_error", out var d) && d == 0;
            }, TimeSpan.FromSeconds(30), "the absent _error queue reads 0");

            await bus.Publish(new TestMessage(Guid.NewGuid(), 1));
            await bus.Publish(new TestMessage(Guid.NewGuid(), 2));
            await Eventually.Until(() =>
            {
                listener.RecordObservableInstruments();
                return depths.GetValueOrDefault("depth-test-failing_error") == 2;
            }, TimeSpan.FromSeconds(60), "both failed messages are counted in the _error queue");
        }
        finally
        {
            await depth.StopAsync(CancellationToken.None);
            await bus.StopAsync();
        }
    }
}
