using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Order.Domain;
using Order.Service.Features.GetOrder;
using Platform.Contracts.Orders.V1;
using Platform.ServiceDefaults;

namespace Order.Service;

public static class OrderService
{
    /// <summary>Names the service's queues (order-trade-events, …), telemetry and default database.</summary>
    public const string Name = "order";

    /// <summary>The configuration section of the policy: Order:AutoConfirmAfter, or Order__AutoConfirmAfter in the environment.</summary>
    public const string PolicySection = "Order";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var policy = ReadPolicy(builder.Configuration);
        builder.AddPlatformDefaults(new PlatformServiceOptions
        {
            ServiceName = Name,
            ConfigureConsumers = x => x.AddConsumers(typeof(OrderService).Assembly),
            ConfigureEventSourcing = o =>
            {
                EventTypes.Register(o.Types);
                o.Types.RegisterNamespace(typeof(OrderCompleted).Assembly, "Platform.Contracts");
            },
        });
        builder.Services.AddSingleton(policy);
        builder.Services.AddSingleton<OrderMetrics>();
        builder.Services.AddSingleton<OrderEffects>();
        builder.Services.AddSingleton<OrderStream>();
        // Statuses and milestones are read by people and other teams' code: names, not numbers.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UsePlatformDefaults();
        app.MapGetOrder();
        return app;
    }

    /// <summary>The policy from configuration; a service with a nonsensical policy refuses to start.</summary>
    public static OrderPolicy ReadPolicy(IConfiguration configuration)
    {
        var policy = configuration.GetSection(PolicySection).Get<OrderPolicy>() ?? OrderPolicy.Default;
        if (policy.AutoConfirmAfter <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{PolicySection}:{nameof(OrderPolicy.AutoConfirmAfter)} ({PolicySection}__{nameof(OrderPolicy.AutoConfirmAfter)}) must be a positive duration such as 10.00:00:00, not {policy.AutoConfirmAfter}.");
        }
        return policy;
    }
}
