using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Platform.Testing;

public sealed record CollectedSpan(string Source, string Name, ActivityKind Kind, ActivityTraceId TraceId, ActivitySpanId SpanId, ActivitySpanId ParentSpanId, IReadOnlyDictionary<string, string?> Tags);

/// <summary>
/// An in-memory exporter (the registry here has no OpenTelemetry in-memory exporter package).
/// In one process every tracer provider sees every span, so spans are kept once by id and a
/// span's service is read from its own tags (queue names carry the service's prefix).
/// </summary>
public sealed class SpanCollector
{
    private readonly ConcurrentDictionary<ActivitySpanId, CollectedSpan> spans = new();

    public IReadOnlyList<CollectedSpan> Spans => [.. spans.Values];

    public void AddTo(TracerProviderBuilder tracing) =>
        tracing.AddProcessor(new SimpleActivityExportProcessor(new Exporter(this)));

    private sealed class Exporter(SpanCollector collector) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                collector.spans.TryAdd(activity.SpanId, new CollectedSpan(activity.Source.Name, activity.DisplayName, activity.Kind, activity.TraceId,
                    activity.SpanId, activity.ParentSpanId, activity.TagObjects.DistinctBy(t => t.Key)
                    .ToDictionary(t => t.Key, t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture))));
            }
            return ExportResult.Success;
        }
    }
}
