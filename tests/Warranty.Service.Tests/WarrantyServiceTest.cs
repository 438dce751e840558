using Platform.Testing;

namespace Warranty.Service.Tests;

/// <summary>
/// A Warranty service and a bus probe in a test world of their own, started before each test and
/// torn down after it; a test class says which published messages it watches.
/// </summary>
public abstract class WarrantyServiceTest(double clockSpeed = 1) : IAsyncLifetime
{
    protected TestEnvironment env = null!;
    protected RunningService warranty = null!;
    protected BusProbe probe = null!;

    public virtual async Task InitializeAsync()
    {
        env = await TestEnvironment.Create(clockSpeed);
        warranty = await RunningService.Start(args => WarrantyService.Create(args), env, WarrantyService.Name, Settings);
        probe = await BusProbe.Start(env);
        await Observe(probe);
    }

    /// <summary>The service's own settings for the class (--Warranty:ReturnDays=10, …); none by default.</summary>
    protected virtual string[] Settings => [];

    /// <summary>Starts collecting the messages the class's tests wait for, before any is published.</summary>
    protected abstract Task Observe(BusProbe probe);

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await warranty.DisposeAsync();
        await env.DisposeAsync();
    }
}
