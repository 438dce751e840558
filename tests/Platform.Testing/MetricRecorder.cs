using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Testing;

/// <summary>
/// Sums what one service instance counts on one of its meters. Meters are process-wide and other
/// test classes run their own instance in this process, so only the meters of this instance's
/// factory are listened to.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tag), long> sums = new();

    public MetricRecorder(IServiceProvider services, string meterName)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, factory))
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

    /// <summary>The sum counted by <paramref name="instrument"/> under the tag, e.g. "code=InvalidAmount" (0 when none was).</summary>
    public long Sum(string instrument, string tag) => sums.GetValueOrDefault((instrument, tag));

    public void Dispose() => listener.Dispose();
}
