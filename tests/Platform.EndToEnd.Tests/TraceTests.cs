using System.Diagnostics;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Order.Service;
using Platform.Contracts.Repair.V1;
using Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Service;
using Warranty.Service;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// One trace from the trade system's event, through Order, Warranty and RepairDispatch, to the
/// provider's callback: the trace context rides every hop, the outbox included.
/// </summary>
public sealed class TraceTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string ProviderPassword = "the trace provider's own password";
    private readonly SpanCollector collector = new();
    private TestEnvironment env = null!;
    private RunningService order = null!;
    private RunningService warranty = null!;
    private RunningService repair = null!;
    private BusProbe probe = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        void Traced(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
            builder.Services.ConfigureOpenTelemetryTracerProvider(collector.AddTo);
        order = await RunningService.Start(OrderService.Create, env, "order", Traced);
        warranty = await RunningService.Start(WarrantyService.Create, env, "warranty", Traced);
        repair = await RunningService.Start(RepairDispatchService.Create, env, "repairdispatch", Traced,
            "--RepairDispatch:Providers:0:Id=prov-trace", "--RepairDispatch:Providers:0:Regions:0=310000",
            "--RepairDispatch:Providers:0:Categories:0=phones", "--RepairDispatch:Providers:0:Capacity=5",
            // A seeded provider's broker user gets its password from a hash: the clear one is the provider's alone.
            $"--RepairDispatch:Providers:0:BrokerPasswordHash={ProviderBus.RabbitMqPasswordHash(ProviderPassword)}");
        probe = await BusProbe.Start(env);
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await repair.DisposeAsync();
        await warranty.DisposeAsync();
        await order.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task A_trade_event_and_everything_it_causes_down_to_the_providers_callback_share_one_trace()
    {
        var orderId = $"o-{Guid.NewGuid():N}";
        var contacted = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = (IBusControl)probe.Bus;

        // A customer-service system files a claim when the warranty is activated, inside that message's trace.
        var customerService = bus.ConnectReceiveEndpoint($"cs-system-{Guid.NewGuid():N}", e => e.Handler<WarrantyActivated>(async context =>
        {
            if (context.Message.OrderId != orderId)
            {
                return;
            }
            await context.Publish(new ClaimFiled
            {
                ClaimId = Guid.NewGuid(),
                OrderId = orderId,
                LineId = context.Message.LineId,
                ClaimantId = "cs-agent-1",
                ClaimantRole = RequesterRole.CustomerService,
                BuyerId = context.Message.BuyerId,
                Fault = FaultKind.QualityFault,
                FaultDescription = "Does not charge.",
                RemedyAsked = Remedy.Repair,
                EvidenceLinks = [],
                FiledAt = env.TimeProvider.GetUtcNow(),
            });
        }));
        // The provider, on its own broker user, calls the buyer back as soon as the job reaches its own queue, inside the job's trace.
        var settings = TestDatabase.Settings;
        var providerUser = $"{env.VirtualHost.UserPrefix}prov-trace";
        var provider = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(settings.RabbitHost, (ushort)settings.RabbitPort, env.VirtualHost.Name, h =>
            {
                h.Username(providerUser);
                h.Password(ProviderPassword);
            });
            ProviderBus.SignAs(cfg, providerUser);
            cfg.ReceiveEndpoint("repair-provider-prov-trace", e =>
            {
                e.ConfigureConsumeTopology = false;
                e.PublishFaults = false;
                e.Handler<RepairJobDispatched>(async context =>
                {
                    var now = env.TimeProvider.GetUtcNow();
                    await context.Send(new Uri("exchange:repairdispatch-provider-reports.prov-trace"), new CustomerContacted
                    {
                        JobId = context.Message.JobId,
                        Attempt = context.Message.Attempt,
                        ProviderId = "prov-trace",
                        OrderId = context.Message.OrderId,
                        ContactedAt = now,
                        ServiceMode = ServiceMode.OnSite,
                        BookedFor = now.AddDays(1),
                    });
                    contacted.TrySetResult(context.Message.JobId);
                });
            });
        });
        await customerService.Ready;
        await provider.StartAsync(new CancellationTokenSource(Deadline).Token);
        await probe.Observe<WarrantyActivated>();
        await probe.Observe<ClaimApproved>();
        await probe.Observe<ClaimRejected>();
        await probe.Observe<RepairJobOpened>();
        await probe.Observe<RepairJobEscalated>();

        using var tradeSystem = new ActivitySource("Platform.Tests.TradeSystem");
        ActivityTraceId traceId;
        using (var root = tradeSystem.StartActivity("trade system: an order's life", ActivityKind.Producer))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            // Completed a month ago: past the merchant's return and replacement windows, a repair is the brand's.
            await TradeSystem.CompleteOrder(probe, orderId, "buyer-1", "merchant-1", env.TimeProvider.GetUtcNow().AddDays(-30), TradeSystem.Phone("L1"));
        }
        Guid jobId = default;
        try
        {
            jobId = await contacted.Task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The provider got no job. Seen: activated {probe.Received<WarrantyActivated>().Count}, approved {string.Join(",", probe.Received<ClaimApproved>().Select(a => $"{a.Message.Coverage}/{a.Message.RemedyGranted}/{a.Message.AnsweredBy}"))}, " +
                $"rejected {string.Join(",", probe.Received<ClaimRejected>().Select(r => r.Message.Reason))}, jobs opened {probe.Received<RepairJobOpened>().Count}, " +
                $"escalated {string.Join(",", probe.Received<RepairJobEscalated>().Select(r => r.Message.Reason))}; " +
                $"refused by Warranty: {await warranty.As(PlatformRoles.Operator, "op").GetStringAsync("/operations/refusals")}; " +
                $"by RepairDispatch: {await repair.As(PlatformRoles.Operator, "op").GetStringAsync("/operations/refusals")}");
        }

        await Eventually.Until(() => Spans(traceId).Any(s => Mentions(s, "repairdispatch-provider-reports")), Deadline,
            "RepairDispatch's handling of the callback is exported in the same trace");
        var trace = Spans(traceId);
        foreach (var queue in new[] { "order-trade-events", "warranty-order-completed", "warranty-claim-filed", "repairdispatch-", "repair-provider-prov-trace", "repairdispatch-provider-reports" })
        {
            Assert.True(trace.Any(s => Mentions(s, queue)), $"no span of the trace mentions {queue}; spans: {string.Join(", ", trace.Select(s => s.Name))}");
        }
        Assert.Contains(trace, s => s.Name == "outbox relay");
        // Taken as the provider's own report: the broker vouched for its sender.
        using var asProvider = repair.As(PlatformRoles.Provider, "prov-trace");
        await Eventually.Until(async () => (await asProvider.GetFromJsonAsync<System.Text.Json.JsonElement>($"/jobs/{jobId}")).GetProperty("bookedFor").ValueKind != System.Text.Json.JsonValueKind.Null,
            Deadline, "the seeded provider's callback, sent as its own broker user, is applied");
        await customerService.StopAsync();
        await provider.StopAsync();
    }

    private List<CollectedSpan> Spans(ActivityTraceId traceId) => collector.Spans.Where(s => s.TraceId == traceId).ToList();

    private static bool Mentions(CollectedSpan span, string text) =>
        span.Name.Contains(text, StringComparison.Ordinal) || span.Tags.Values.Any(v => v?.Contains(text, StringComparison.Ordinal) == true);
}
