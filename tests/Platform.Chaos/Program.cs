using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Platform.Chaos;
using Platform.ServiceDefaults;
using Platform.Simulator;

var prefix = new Option<string>("--database-prefix") { Description = "The run's databases are the services' names after this", DefaultValueFactory = _ => "chaos_" };

var prepare = new Command("prepare", "Drops and creates the run's four databases and its virtual host (PLATFORM_RABBITMQ_VHOST)") { prefix };
prepare.SetAction(async (parse, ct) =>
{
    var target = new ChaosTarget(PlatformSettings.FromEnvironment(), parse.GetValue(prefix)!);
    await target.Prepare(ct);
    Console.WriteLine($"chaos: fresh databases {string.Join(", ", ChaosTarget.Services.Select(target.Database))} and virtual host '{target.Settings.RabbitVirtualHost}'");
    return 0;
});

var manifestPath = new Option<string>("--manifest") { Description = "What the simulator did and read back (its --chaos file)", Required = true };
var report = new Option<string?>("--report") { Description = "Also write the results to this JSON file" };
var check = new Command("check", """
    Checks the invariants of a finished chaos run against its databases, its virtual host's dead-letter queues and the
    simulator's manifest. Run it after the services stopped, with the run's PLATFORM_CLOCK_SPEED and PLATFORM_CLOCK_ORIGIN.
    Exits 1 when any invariant is broken.
    """) { prefix, manifestPath, report };
check.SetAction(async (parse, ct) =>
{
    var settings = PlatformSettings.FromEnvironment();
    var target = new ChaosTarget(settings, parse.GetValue(prefix)!);
    ChaosManifest manifest;
    try
    {
        manifest = ChaosManifest.Read(parse.GetValue(manifestPath)!);
    }
    catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
    {
        Console.Error.WriteLine($"chaos: no manifest to check against ({e.Message}): the simulator did not finish its read-back");
        return 1;
    }
    var clock = AcceleratedTimeProvider.FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables().Build());
    // A deadline due in the last half minute before the services stopped may not have been handled yet.
    var settled = TimeSpan.FromSeconds(30) * (clock is AcceleratedTimeProvider accelerated ? accelerated.Speed : 1);
    await using var databases = target.Open();
    var results = await new InvariantChecker(databases, settings, manifest, clock.GetUtcNow(), settled).CheckAll(ct);

    Console.WriteLine($"Invariants of chaos run {manifest.RunId} ({manifest.Orders} orders), from the databases {string.Join(", ", ChaosTarget.Services.Select(target.Database))}, "
        + $"the dead-letter queues of virtual host '{settings.RabbitVirtualHost}' and the simulator's read-back from the APIs:");
    InvariantReport.Print(results, Console.Out);
    if (parse.GetValue(report) is { } path)
    {
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, ChaosManifest.Json), ct);
    }
    return results.All(r => r.Holds) ? 0 : 1;
});

var root = new RootCommand("The chaos run's tool (deploy/chaos.sh): prepare the run's databases and virtual host, then check its invariants.") { prepare, check };
return await root.Parse(args).InvokeAsync();
