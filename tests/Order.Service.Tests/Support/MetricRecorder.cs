using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Order.Service.Tests.Support;

/// <summary>
/// Sums what one service instance counts on the Order meter. Meters are process-wide and other
/// test classes run their own instance in this process, so only the meters of this instance's
/// factory are listened to.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tag), long> sums = new();

    public MetricRecorder(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OrderMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                sums.AddOrUpdate((instrument.Name, $"{tag.Key}={tag.Value}"), value, (_, sum) => sum + value);
            }
        });
        listener.Start();
    }

    /// <summary>The sum counted by <paramref name="instrument"/> under the tag, e.g. "code=InvalidAmount".</summary>
    public long Sum(string instrument, string tag) => sums.GetValueOrDefault((instrument, tag));

    public void Dispose() => listener.Dispose();
}
