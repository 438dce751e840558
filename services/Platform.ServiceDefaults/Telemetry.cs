using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults;

/// <summary>
/// OpenTelemetry through its hosting package: ASP.NET Core, HttpClient, runtime and Npgsql
/// instrumentations, MassTransit's and the platform's own sources and meters; traces, metrics and
/// logs go to OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the OTEL_* variables configure it).
/// </summary>
public static class PlatformTelemetry
{
    /// <summary>Exported besides the instrumentations' own: MassTransit's and every Platform.* meter.</summary>
    public static readonly IReadOnlyList<string> Meters = ["MassTransit", Extensions.TelemetryPrefix + "*"];

    /// <summary>Traced besides the instrumentations: MassTransit's and every Platform.* source.</summary>
    public static readonly IReadOnlyList<string> Sources = ["MassTransit", Extensions.TelemetryPrefix + "*"];

    /// <summary>
    /// The SDK exports metrics every 60 s by default; a lag alert that fires after a minute needs
    /// several points in that minute. OTEL_METRIC_EXPORT_INTERVAL still wins.
    /// </summary>
    public const string DefaultExportIntervalMilliseconds = "15000";

    internal static void AddPlatformTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Configuration["OTEL_METRIC_EXPORT_INTERVAL"] ??= DefaultExportIntervalMilliseconds;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new BackgroundCallsUntraced()))
                // Probes call every few seconds; their spans would bury the requests that matter.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource([.. Sources]))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter([.. Meters]));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Logs leave by the same way as traces, each with its trace and span id; the JSON
            // console keeps writing them for whoever reads the process's output.
            telemetry.WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
            }).UseOtlpExporter();
        }
    }
}

/// <summary>
/// The sampler for spans without a parent. A client call made outside any request or message (the
/// outbox relay's polls, a gauge's or a probe's query, a pruning job) is background work repeated
/// every second or so: traced, an idle service would send a span per poll. Inside a request or a
/// message the parent decides, so every database command of real work stays in its trace.
/// </summary>
public sealed class BackgroundCallsUntraced : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(samplingParameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
}
