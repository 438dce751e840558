using Arbitration.Service;
using Order.Service;
using Platform.Testing;
using RepairDispatch.Service;
using Warranty.Service;

namespace Platform.ApiClients.Tests;

/// <summary>
/// The four services in-process on one test world (real PostgreSQL, RabbitMQ and issuer), talking to each
/// other over the bus as in production, with a probe that plays the trade system. One per test class.
/// </summary>
public sealed class RunningPlatform : IAsyncLifetime
{
    public const string Arbitrator = "arbitrator-1";

    public TestEnvironment Env { get; private set; } = null!;
    public BusProbe Probe { get; private set; } = null!;
    public IReadOnlyDictionary<string, RunningService> Services { get; private set; } = null!;

    public RunningService Order => Services[OrderService.Name];
    public RunningService Warranty => Services[WarrantyService.Name];
    public RunningService RepairDispatch => Services[RepairDispatchService.Name];
    public RunningService Arbitration => Services[ArbitrationService.Name];

    public async Task InitializeAsync()
    {
        Env = await TestEnvironment.Create();
        Services = new Dictionary<string, RunningService>(StringComparer.Ordinal)
        {
            [OrderService.Name] = await RunningService.Start(OrderService.Create, Env, OrderService.Name),
            [WarrantyService.Name] = await RunningService.Start(WarrantyService.Create, Env, WarrantyService.Name),
            [RepairDispatchService.Name] = await RunningService.Start(RepairDispatchService.Create, Env, RepairDispatchService.Name),
            [ArbitrationService.Name] = await RunningService.Start(ArbitrationService.Create, Env, ArbitrationService.Name, configure: null,
                $"--Arbitration:Arbitrators:0={Arbitrator}"),
        };
        Probe = await BusProbe.Start(Env);
    }

    public async Task DisposeAsync()
    {
        await Probe.DisposeAsync();
        foreach (var service in Services.Values)
        {
            await service.DisposeAsync();
        }
        await Env.DisposeAsync();
    }
}
