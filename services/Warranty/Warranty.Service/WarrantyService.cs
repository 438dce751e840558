using System.Text.Json.Serialization;
using MassTransit;
using Platform.Contracts.Orders.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Warranty.Domain;
using Warranty.Service.Features.AnswerClaim;
using Warranty.Service.Features.CancelExtendedWarranty;
using Warranty.Service.Features.EscalateClaim;
using Warranty.Service.Features.FileClaim;
using Warranty.Service.Features.GetClaim;
using Warranty.Service.Features.GetWarranty;
using Warranty.Service.Features.ListClaims;
using Warranty.Service.Features.ListWarranties;
using Warranty.Service.Features.ReopenEntry;
using Warranty.Service.Features.ResolveClaim;
using Warranty.Service.Features.SettlePayment;
using Warranty.Service.ReadModels;

namespace Warranty.Service;

public static class WarrantyService
{
    /// <summary>Names the service's queues (warranty-order-completed, …), telemetry and default database.</summary>
    public const string Name = "warranty";

    /// <summary>The configuration section of the policy: Warranty:ReturnDays, or Warranty__ReturnDays in the environment.</summary>
    public const string PolicySection = "Warranty";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var policy = ReadPolicy(builder.Configuration);
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = Name,
            ConfigureConsumers = x => x.AddConsumers(typeof(WarrantyService).Assembly),
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
                o.Types.RegisterNamespace(typeof(OrderCompleted).Assembly, "Platform.Contracts");
                o.Migrations.AddRange(ClaimIndex.Migrations);
                o.Snapshots.Add(WarrantyFileStream.Snapshots);
                o.Migrations.AddRange(ReadModelMigrations.All);
            },
        });
        builder.Services.AddSingleton(policy);
        builder.Services.AddSingleton(WorklistPaging.From(builder.Configuration));
        builder.Services.AddSingleton<WarrantyMetrics>();
        builder.Services.AddSingleton<WarrantyFileStream>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // Statuses and reasons are read by people and by other teams' code: names, not numbers.
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UsePlatformDefaults();
        app.MapFileClaim();
        app.MapGetClaim();
        app.MapListClaims();
        app.MapAnswerClaim();
        app.MapEscalateClaim();
        app.MapResolveClaim();
        app.MapReopenEntry();
        app.MapCancelExtendedWarranty();
        app.MapGetWarranty();
        app.MapListWarranties();
        return app;
    }

    /// <summary>
    /// The policy from configuration over the domain's defaults. A service with a policy it cannot honour (a
    /// negative period, an unknown time zone, a misspelt setting) refuses to start, naming the setting.
    /// </summary>
    public static WarrantyPolicy ReadPolicy(IConfiguration configuration)
    {
        WarrantyPolicy policy;
        try
        {
            policy = configuration.GetSection(PolicySection).Get<WarrantyPolicy>(o => o.ErrorOnUnknownConfiguration = true) ?? WarrantyPolicy.Default;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"The {PolicySection} configuration cannot be read: {e.Message}", e);
        }
        var problems = policy.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The {PolicySection} policy is invalid: {string.Join("; ", problems)}. Each setting is {PolicySection}__<Name> in the environment " +
                $"({PolicySection}__ReturnDays, {PolicySection}__Categories__phones__RepairMonths).");
        }
        return policy;
    }
}
