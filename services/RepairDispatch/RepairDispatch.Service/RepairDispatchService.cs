using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Service.Features.BreachHistory;
using RepairDispatch.Service.Features.BuyerContact;
using RepairDispatch.Service.Features.JobReports;
using RepairDispatch.Service.Features.ManageProviders;
using RepairDispatch.Service.Features.ProviderJobs;
using RepairDispatch.Service.Features.ProviderReports;
using RepairDispatch.Service.Features.Scorecards;
using RepairDispatch.Service.Features.SeedProviders;
using RepairDispatch.Service.Features.WatchJobs;
using RepairDispatch.Service.Features.Webhooks;
using RepairDispatch.Service.Providers;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service;

public static class RepairDispatchService
{
    /// <summary>Names the service in telemetry and prefixes its queues (repairdispatch-claim-approved, …).</summary>
    public const string Name = "repairdispatch";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = RepairDispatchSettings.From(builder.Configuration);
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = Name,
            ConfigureConsumers = x => x.AddConsumers(typeof(RepairDispatchService).Assembly),
            ConfigureBus = (context, cfg) => cfg.ReceiveEndpoint(ProviderReportConsumer.Queue, e =>
            {
                // Only what providers send here: bound to no exchange, so the RepairJobCompleted this
                // service publishes once it has verified a completion never comes back to it.
                e.ConfigureConsumeTopology = false;
                context.GetRequiredService<EndpointDefaults>().Apply(e, ReportErrorTransport.MoveToError());
                e.ConfigureConsumer<ProviderReportConsumer>(context);
            }),
            ConfigureEventSourcing = o =>
            {
                EventTypes.Register(o.Types);
                o.Snapshots.Add(ProviderStream.Snapshots);
                o.Types.RegisterNamespace(typeof(ClaimApproved).Assembly, "Platform.Contracts");
                o.Migrations.AddRange(ReadModelMigrations.All);
                o.Migrations.AddRange(BuyerContacts.Migrations);
                o.Migrations.AddRange(JobReportRows.Migrations);
                o.Retention.Tables.Add(new("provider_timings", "recorded_at", settings.ProviderTimingsRetention));
                o.Migrations.AddRange(WebhookMigrations.All);
                o.Retention.Tables.Add(new("webhook_deliveries", "settled_at", settings.Webhooks.LogRetention));
            },
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(settings.Policy);
        builder.Services.AddSingleton(WorklistPaging.From(builder.Configuration));
        builder.Services.AddSingleton<RepairDispatchMetrics>();
        builder.Services.AddSingleton<ProviderStream>();
        builder.Services.AddSingleton<RepairJobEffects>();
        builder.Services.AddSingleton<RepairJobStream>();
        builder.Services.AddSingleton<ProviderActions>();
        builder.Services.AddSingleton<ProviderAdministration>();
        builder.Services.AddSingleton(services => new ProviderBrokerUsers(
            new HttpClient { Timeout = settings.BrokerUsers.Timeout }, settings, services.GetRequiredService<PlatformSettings>()));
        ProviderSeeding.AddFirst(builder.Services);
        if (settings.VirtualNumbers.Provider == RepairDispatchSettings.VirtualNumberSettings.Http)
        {
            builder.Services.AddHttpClient<IVirtualNumbers, HttpVirtualNumbers>(http => HttpVirtualNumbers.Configure(http, settings.VirtualNumbers));
        }
        else
        {
            builder.Services.AddSingleton<IVirtualNumbers, SimulatedVirtualNumbers>();
        }
        builder.Services.AddHostedService<VirtualNumberReleaser>();
        builder.Services.AddSingleton(WebhookAddresses.From(settings.Webhooks));
        builder.Services.AddHostedService<WebhookDeliveryWorker>();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UsePlatformDefaults();
        app.MapProviderAdministration();
        app.MapProviderScorecard();
        app.MapProviderJobs();
        app.MapProviderReports();
        app.MapWatchJobs();
        app.MapBreachHistory();
        app.MapBuyerContact();
        app.MapJobReports();
        app.MapWebhookRegistration();
        app.MapWebhookLog();
        return app;
    }
}
