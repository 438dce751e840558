using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>What the OpenTelemetry wiring traces: requests with their http.* attributes and their database commands, and not background polling.</summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly SpanCollector collector = new();
    private TestDatabase database = null!;
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create(migrate: false);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults(new PlatformServiceOptions { ServiceName = "telemetry-test", Database = database.Name });
        builder.Services.ConfigureOpenTelemetryTracerProvider(collector.AddTo);
        app = builder.Build();
        app.UsePlatformDefaults();
        app.MapGet("/traced/{marker}", async (string marker, NpgsqlDataSource dataSource) =>
        {
            await using var command = dataSource.CreateCommand($"select 1 /* {marker} */");
            await command.ExecuteScalarAsync();
            return Microsoft.AspNetCore.Http.Results.Ok();
        }).AllowAnonymous();
        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_request_span_carries_http_attributes_and_its_database_command_is_its_child_while_a_command_outside_any_request_is_not_traced()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var background = $"background-{Guid.NewGuid():N}";
        var request = $"request-{Guid.NewGuid():N}";

        // What the relay's poll, a gauge or a probe's query does: a command with no request or message around it.
        var outer = Activity.Current;
        Activity.Current = null;
        await using (var command = dataSource.CreateCommand($"select 1 /* {background} */"))
        {
            await command.ExecuteScalarAsync();
        }
        Activity.Current = outer;
        // The app's tracer provider sees this process's HttpClient too: the test's call, a client span
        // with no parent, is not sampled, and would tell the server so in its traceparent header.
        using (SuppressInstrumentationScope.Begin())
        using (var response = await client.GetAsync($"/traced/{request}"))
        {
            response.EnsureSuccessStatusCode();
        }

        await Eventually.Until(() => collector.Spans.Any(s => s.Kind == ActivityKind.Server && s.Tags.GetValueOrDefault("url.path") == $"/traced/{request}"),
            TimeSpan.FromSeconds(10), "the request's span is exported");
        var server = collector.Spans.Single(s => s.Kind == ActivityKind.Server && s.Tags.GetValueOrDefault("url.path") == $"/traced/{request}");
        Assert.Equal("GET", server.Tags["http.request.method"]);
        Assert.Equal("200", server.Tags["http.response.status_code"]);
        Assert.Equal("/traced/{marker}", server.Tags["http.route"]);
        await Eventually.Until(() => collector.Spans.Any(s => s.Source == "Npgsql" && Mentions(s, request)), TimeSpan.FromSeconds(10), "the request's command is exported");
        var query = collector.Spans.Single(s => s.Source == "Npgsql" && Mentions(s, request));
        Assert.Equal(server.TraceId, query.TraceId);
        Assert.Equal(server.SpanId, query.ParentSpanId);

        // Spans are exported as they end, so the background command's would be here by now.
        Assert.DoesNotContain(collector.Spans, s => Mentions(s, background));
        Assert.DoesNotContain(collector.Spans, s => s.Source == "Npgsql" && s.ParentSpanId == default);
    }

    private static bool Mentions(CollectedSpan span, string text) =>
        span.Name.Contains(text, StringComparison.Ordinal) || span.Tags.Values.Any(v => v?.Contains(text, StringComparison.Ordinal) == true);
}
