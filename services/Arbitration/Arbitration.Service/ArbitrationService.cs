using System.Text.Json.Serialization;
using Arbitration.Service.Cases;
using Arbitration.Service.Features.FileAppeal;
using Arbitration.Service.Features.IssueRuling;
using Arbitration.Service.Features.ListCases;
using Arbitration.Service.Features.ReadCase;
using Arbitration.Service.Features.SettlePayment;
using Arbitration.Service.Features.SubmitEvidence;
using Arbitration.Service.Features.WatchStaleCases;
using Arbitration.Service.ReadModels;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Arbitration.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service;

public static class ArbitrationService
{
    public const string Name = "arbitration";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = ArbitrationSettings.From(builder.Configuration);
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = Name,
            ConfigureConsumers = x => x.AddConsumers(typeof(ArbitrationService).Assembly),
            ConfigureBus = (context, cfg) => cfg.ReceiveEndpoint(PaymentResultConsumer.Queue, e =>
            {
                // Only what the trade system sends here, answering this service's own instructions.
                e.ConfigureConsumeTopology = false;
                context.GetRequiredService<EndpointDefaults>().Apply(e);
                e.ConfigureConsumer<PaymentResultConsumer>(context);
            }),
            ConfigureEventSourcing = o =>
            {
                EventTypes.Register(o.Types);
                o.Types.RegisterNamespace(typeof(CaseOpened).Assembly, "Platform.Contracts");
                o.Migrations.AddRange(ReadModelMigrations.All);
                o.Migrations.AddRange(AppealableDecisions.Migrations);
            },
        });
        builder.Services
            .AddSingleton(settings)
            .AddSingleton(settings.Policy)
            .AddSingleton(WorklistPaging.From(builder.Configuration))
            .AddSingleton<ArbitratorRoster>()
            .AddSingleton<CaseStream>()
            .AddSingleton<CaseOpening>()
            .AddSingleton<ArbitrationMetrics>()
            .ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        configure?.Invoke(builder);

        var app = builder.Build();
        // Created now rather than at the first case, so the stale-case gauge reports from the start.
        app.Services.GetRequiredService<ArbitrationMetrics>();
        app.UsePlatformDefaults();
        app.MapFileAppeal();
        app.MapSubmitEvidence();
        app.MapIssueRuling();
        app.MapGetCase();
        app.MapListCases();
        app.MapStaleCases();
        return app;
    }
}
