using Arbitration.Service;
using Order.Service;
using Platform.Testing;
using RepairDispatch.Service;
using Warranty.Service;

namespace Platform.EndToEnd.Tests;

/// <summary>The platform's four services in-process on one environment, by the names their queues start with.</summary>
internal static class PlatformServices
{
    public static async Task<Dictionary<string, RunningService>> Start(TestEnvironment env, params string[] arbitrationArguments) =>
        new(StringComparer.Ordinal)
        {
            ["order"] = await RunningService.Start(OrderService.Create, env, "order"),
            ["warranty"] = await RunningService.Start(WarrantyService.Create, env, "warranty"),
            ["repairdispatch"] = await RunningService.Start(RepairDispatchService.Create, env, "repairdispatch"),
            ["arbitration"] = await RunningService.Start(ArbitrationService.Create, env, "arbitration", configure: null, arbitrationArguments),
        };

    public static async Task Stop(IEnumerable<RunningService> services)
    {
        foreach (var service in services)
        {
            await service.DisposeAsync();
        }
    }
}
