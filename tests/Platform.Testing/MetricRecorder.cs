using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Testing;

/// <summary>
/// Sums what one service instance counts on one of its meters, and reads its gauges. Meters are process-wide and
/// other test classes run their own instance in this process, so only the meters of this instance's factory are
/// listened to.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private const char TagSeparator = '\n';

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tags), long> sums = new();
    private readonly ConcurrentDictionary<string, long> readings = new();
    private readonly Lock observing = new();

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
            if (instrument.IsObservable)
            {
                readings.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                return;
            }
            // Kept by the measurement's whole tag set, so that a sum can ask for several tags together.
            var set = string.Join(TagSeparator, tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal));
            sums.AddOrUpdate((instrument.Name, set), value, (_, sum) => sum + value);
        });
        listener.Start();
    }

    /// <summary>
    /// The sum counted by <paramref name="instrument"/> in measurements that carry every one of the tags, e.g.
    /// "code=InvalidAmount" or "in_favour_of=Respondent", "default=False" (0 when none was).
    /// </summary>
    public long Sum(string instrument, params string[] tags) =>
        sums.Where(s => s.Key.Instrument == instrument && tags.All(s.Key.Tags.Split(TagSeparator).Contains)).Sum(s => s.Value);

    /// <summary>Reads the observable instruments now, as an exporter would: this reading of one (over all its tags), null when it gave none.</summary>
    public long? Observe(string instrument)
    {
        lock (observing)
        {
            readings.Clear();
            listener.RecordObservableInstruments();
            return readings.TryGetValue(instrument, out var reading) ? reading : null;
        }
    }

    public void Dispose() => listener.Dispose();
}
