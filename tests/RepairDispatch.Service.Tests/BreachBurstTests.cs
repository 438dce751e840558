using Platform.Testing;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// Many callback deadlines of one provider falling due at once, as they do when the service comes back from an
/// outage: every breach is recorded against the provider, none is lost to the dead-letter queue. (The chaos run
/// found this: the breaches raced to append to the provider's one stream, and the losers ran out of retries.)
/// </summary>
public sealed class BreachBurstTests : IAsyncLifetime
{
    private const double ClockSpeed = 10_000;
    private const int Jobs = 60;

    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create(clockSpeed: ClockSpeed);
        // Suspension would end the burst early: the provider must keep breaching.
        service = await Repair.Start(env, consumed, "--RepairDispatch:SuspensionBreachThreshold=1000");
        database = await env.Database(Repair.Service);
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    [Fact]
    public async Task Every_deadline_of_a_burst_on_one_provider_records_its_breach_and_escalates_its_job()
    {
        var region = Repair.Unique("bb");
        var provider = Repair.Unique("p");
        await service.RegisterProvider(provider, region, capacity: Jobs);
        await using var probe = await BusProbe.Start(env);

        // The only provider never calls: each job breaches once, then has no one left and goes to the platform.
        await Task.WhenAll(Enumerable.Range(0, Jobs).Select(_ => probe.Publish(Repair.Claim(region))));

        // A deadline dead-lettered leaves its job waiting for ever.
        await Eventually.Until(async () => await Count("repairdispatch.repair-job-escalated") == Jobs, TimeSpan.FromSeconds(60),
            $"all {Jobs} jobs escalated after their one breach");

        Assert.Equal(Jobs, await Count("repairdispatch.provider-callback-sla-breached"));
        Assert.Equal(Jobs, await Count("repairdispatch.provider-callback-breach-recorded"));
        Assert.Equal(Jobs, await Count("repairdispatch.repair-job-escalated"));
    }

    private Task<long> Count(string type) => database.Scalar<long>("select count(*) from mt_events where type = $1", type);
}
