using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults;

namespace Platform.Deployment.Tests;

/// <summary>
/// The metric names Prometheus sees, read from the instruments the code creates: each service is
/// composed as Program.cs composes it (not started: no servers needed), every platform singleton
/// and hosted service is created, every static meter initialised, and a bare ASP.NET Core host
/// serves one request for the framework's own instruments. The names are then translated as the
/// collector's Prometheus exporter translates them.
/// </summary>
public static class ExportedMetrics
{
    /// <summary>The meters the instrumentations in <see cref="PlatformTelemetry"/> subscribe to (AspNetCore, Http, Runtime, Npgsql).</summary>
    private static readonly string[] InstrumentationMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing", "System.Net.Http", "System.Runtime", "Npgsql"];

    private static readonly Lazy<Task<IReadOnlySet<string>>> Names = new(Read);

    public static Task<IReadOnlySet<string>> PrometheusNames() => Names.Value;

    private static async Task<IReadOnlySet<string>> Read()
    {
        var instruments = new ConcurrentDictionary<(string Meter, string Name), Instrument>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, _) => instruments.TryAdd((instrument.Meter.Name, instrument.Name), instrument) };
        listener.Start();

        Func<string[], Action<WebApplicationBuilder>?, WebApplication>[] services =
            [Order.Service.OrderService.Create, Warranty.Service.WarrantyService.Create, RepairDispatch.Service.RepairDispatchService.Create, Arbitration.Service.ArbitrationService.Create];
        // MassTransit keeps the first bus's logger factory for its log context: the apps stay
        // undisposed until every one has created its objects.
        var apps = new List<WebApplication>();
        try
        {
            foreach (var create in services)
            {
                IServiceCollection? registered = null;
                var app = create([], builder => registered = builder.Services);
                apps.Add(app);
                CreatePlatformObjects(app.Services, registered!);
            }
            await ServeOneRequest();
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }

        return instruments.Values
            .Where(i => PlatformTelemetry.Meters.Concat(InstrumentationMeters).Any(m => Matches(m, i.Meter.Name)))
            .SelectMany(PrometheusNamesOf)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static void CreatePlatformObjects(IServiceProvider provider, IEnumerable<ServiceDescriptor> descriptors)
    {
        foreach (var descriptor in descriptors.Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.ServiceType.IsGenericTypeDefinition && !d.IsKeyedService))
        {
            var type = descriptor.ImplementationType ?? descriptor.ServiceType;
            if (!IsPlatform(type.Assembly))
            {
                continue;
            }
            if (descriptor.ServiceType == typeof(IHostedService) || descriptor.ServiceType == typeof(IHealthCheckPublisher))
            {
                ActivatorUtilities.CreateInstance(provider, type);
            }
            else
            {
                provider.GetService(descriptor.ServiceType);
            }
        }
        foreach (var type in AppDomain.CurrentDomain.GetAssemblies().Where(IsPlatform).SelectMany(a => a.GetTypes())
                     .Where(t => t.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public).Any(f => f.FieldType == typeof(Meter))))
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }
    }

    private static bool IsPlatform(Assembly assembly) =>
        assembly.GetName().Name is { } name && (name.StartsWith("Platform.", StringComparison.Ordinal) && !name.Contains(".Tests", StringComparison.Ordinal) || name.EndsWith(".Service", StringComparison.Ordinal));

    private static async Task ServeOneRequest()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        using var client = new HttpClient();
        (await client.GetAsync(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First())).EnsureSuccessStatusCode();
        await app.StopAsync();
    }

    private static bool Matches(string pattern, string meter) =>
        pattern.EndsWith('*') ? meter.StartsWith(pattern[..^1], StringComparison.Ordinal) : meter == pattern;

    /// <summary>As the collector's Prometheus exporter names it: dots to underscores, the unit's word, _total for a counter, the series of a histogram.</summary>
    public static IEnumerable<string> PrometheusNamesOf(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        var unit = instrument.Unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "h" => "hours",
            "min" => "minutes",
            "By" => "bytes",
            _ => null, // "{case}" and the like are annotations, not units
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }
        var kind = instrument.GetType().GetGenericTypeDefinition();
        if (kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>))
        {
            return [name + "_total"];
        }
        return kind == typeof(Histogram<>) ? [name + "_bucket", name + "_sum", name + "_count"] : [name];
    }
}
