using System.Text.RegularExpressions;
using Platform.ServiceDefaults;
using YamlDotNet.RepresentationModel;

namespace Platform.Deployment.Tests;

/// <summary>
/// The compose file, the Kubernetes manifests and the Dockerfile cannot be run on this machine, so
/// they are held to what the services really read, expose and need.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    internal static readonly string Root = FindRoot();
    private static readonly Dictionary<string, string> Services = new(StringComparer.Ordinal)
    {
        ["order"] = "Order", ["warranty"] = "Warranty", ["repairdispatch"] = "RepairDispatch", ["arbitration"] = "Arbitration",
    };

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test's directory.");
    }

    private static YamlMappingNode Compose() => (YamlMappingNode)Load(Path.Combine(Root, "docker-compose.yml"))[0];

    private static List<YamlNode> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    /// <summary>A mapping's keys with compose's "&lt;&lt;" merges expanded, as compose itself reads them.</summary>
    private static IEnumerable<string> Keys(YamlMappingNode mapping) =>
        mapping.Children.SelectMany(pair => ((YamlScalarNode)pair.Key).Value == "<<"
            ? Keys((YamlMappingNode)pair.Value)
            : [((YamlScalarNode)pair.Key).Value!]);

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    private static IEnumerable<(string Kind, YamlMappingNode Node)> Manifest(string service) =>
        Load(Path.Combine(Root, "deploy", "k8s", $"{service}.yaml")).Cast<YamlMappingNode>().Select(d => (Scalar(d, "kind"), d));

    /// <summary>A variable is known when the platform reads it, or it sets a policy of the service's own section.</summary>
    private static bool IsKnown(string key, string serviceClass) =>
        PlatformSettings.EnvironmentKeys.Contains(key) || key.StartsWith(serviceClass + "__", StringComparison.Ordinal);

    [Fact]
    public void Compose_builds_every_service_from_its_project_with_the_shared_Dockerfile()
    {
        var services = Map(Compose(), "services");
        foreach (var (name, serviceClass) in Services)
        {
            var build = Map(services[name], "build");
            Assert.Equal("deploy/Dockerfile", Scalar(build, "dockerfile"));
            Assert.Equal(serviceClass, Scalar(Map(build, "args"), "SERVICE"));
            Assert.True(File.Exists(Path.Combine(Root, "services", serviceClass, $"{serviceClass}.Service", $"{serviceClass}.Service.csproj")), $"{name}: no project for SERVICE={serviceClass}");
        }
    }

    [Fact]
    public void Every_variable_in_compose_and_the_config_maps_is_one_the_service_reads()
    {
        var services = Map(Compose(), "services");
        foreach (var (name, serviceClass) in Services)
        {
            var composeKeys = Keys(Map(services[name], "environment")).ToList();
            var configMap = Manifest(name).Single(d => d.Kind == "ConfigMap").Node;
            var manifestKeys = Keys(Map(configMap, "data")).ToList();
            Assert.Contains("PLATFORM_RABBITMQ_HOST", composeKeys);
            // Every process of a run must share one clock, or deadlines fire at different moments.
            Assert.Contains("PLATFORM_CLOCK_SPEED", composeKeys);
            Assert.Contains("PLATFORM_CLOCK_ORIGIN", composeKeys);
            foreach (var key in composeKeys.Concat(manifestKeys))
            {
                Assert.True(IsKnown(key, serviceClass), $"{name}: {key} is not read by the service");
            }
        }
    }

    [Fact]
    public void Each_service_gets_its_own_database_and_the_server_script_and_compose_create_them_all()
    {
        var services = Map(Compose(), "services");
        var init = File.ReadAllText(Path.Combine(Root, "deploy", "postgres", "init.sql"));
        var env = File.ReadAllText(Path.Combine(Root, "deploy", "env.sh"));
        var databases = new HashSet<string>();
        foreach (var name in Services.Keys)
        {
            var composeDatabase = Scalar(Map(services[name], "environment"), "PLATFORM_PG_DATABASE");
            var manifestDatabase = Scalar(Map(Manifest(name).Single(d => d.Kind == "ConfigMap").Node, "data"), "PLATFORM_PG_DATABASE");
            Assert.Equal(composeDatabase, manifestDatabase);
            Assert.True(databases.Add(composeDatabase), $"{name} shares a database");
            Assert.Contains($"create database \"{composeDatabase}\";", init, StringComparison.Ordinal);
            Assert.Matches($"PLATFORM_DATABASES=.*\\b{composeDatabase}\\b", env);
        }
    }

    [Fact]
    public void Probes_health_check_and_ports_match_what_the_services_serve()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        var port = int.Parse(HttpPorts().Match(dockerfile).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"127.0.0.1:{port}{Extensions.ReadyPath}", dockerfile, StringComparison.Ordinal);

        foreach (var name in Services.Keys)
        {
            var deployment = Manifest(name).Single(d => d.Kind == "Deployment").Node;
            var pod = Map(Map(deployment, "spec"), "template");
            var container = (YamlMappingNode)((YamlSequenceNode)Map(pod, "spec")["containers"]).Children.Single();
            Assert.Equal(Extensions.ReadyPath, Scalar(Map(Map(container, "readinessProbe"), "httpGet"), "path"));
            Assert.Equal(Extensions.LivePath, Scalar(Map(Map(container, "livenessProbe"), "httpGet"), "path"));
            var containerPort = (YamlMappingNode)((YamlSequenceNode)container["ports"]).Children.Single();
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(containerPort, "containerPort"));
            Assert.True(Map(container, "resources").Children.ContainsKey("limits"), $"{name}: no resource limits");

            // A slow start (migrations, the broker) is the startup probe's to wait out, not liveness's to punish.
            Assert.Equal(Extensions.LivePath, Scalar(Map(Map(container, "startupProbe"), "httpGet"), "path"));
            Assert.False(Map(container, "livenessProbe").Children.ContainsKey("initialDelaySeconds"), $"{name}: the startup probe replaces the liveness delay");
            var preStop = int.Parse(Scalar(Map(Map(Map(container, "lifecycle"), "preStop"), "sleep"), "seconds"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(preStop, 5, 30);

            var grace = int.Parse(Scalar(Map(pod, "spec"), "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(grace >= preStop + Extensions.ShutdownTimeout.TotalSeconds, $"{name}: Kubernetes kills the pod before the pre-stop delay and the service's shutdown are over");

            var composePorts = ((YamlSequenceNode)Map(Map(Compose(), "services"), name)["ports"]).Children.Cast<YamlScalarNode>().Single().Value!;
            Assert.EndsWith($":{port}", composePorts, StringComparison.Ordinal);
        }
    }

    /// <summary>What a service holds besides its managed heap, at its peak under load: mapped assemblies, compiled code, native memory.</summary>
    private const long BesidesTheHeap = 192L << 20;

    [Fact]
    public void Each_service_bounds_its_managed_heap_and_the_bound_fits_its_containers_memory_limit()
    {
        foreach (var (name, serviceClass) in Services)
        {
            // The runtime reads its settings from this file beside the service's assembly, in the image as here.
            using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, $"{serviceClass}.Service.runtimeconfig.json")));
            var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            Assert.True(properties.TryGetProperty("System.GC.HeapHardLimit", out var limit), $"{name}: no managed heap limit, so the GC sizes itself to the machine");
            var heap = limit.GetInt64();

            var deployment = Manifest(name).Single(d => d.Kind == "Deployment").Node;
            var container = (YamlMappingNode)((YamlSequenceNode)Map(Map(Map(deployment, "spec"), "template"), "spec")["containers"]).Children.Single();
            var memory = Scalar(Map(Map(container, "resources"), "limits"), "memory");
            Assert.EndsWith("Mi", memory, StringComparison.Ordinal);
            var containerLimit = long.Parse(memory[..^2], System.Globalization.CultureInfo.InvariantCulture) << 20;
            Assert.True(heap + BesidesTheHeap <= containerLimit, $"{name}: a heap of {heap >> 20} MiB and {BesidesTheHeap >> 20} MiB besides do not fit a limit of {memory}");
        }
    }

    [Fact]
    public void Compose_and_the_manifests_run_the_same_images_and_every_manifest_has_its_five_objects()
    {
        var services = Map(Compose(), "services");
        foreach (var name in Services.Keys)
        {
            var kinds = Manifest(name).Select(d => d.Kind).Order().ToList();
            Assert.Equal(["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"], kinds);
            var deployment = Manifest(name).Single(d => d.Kind == "Deployment").Node;
            var container = (YamlMappingNode)((YamlSequenceNode)Map(Map(Map(deployment, "spec"), "template"), "spec")["containers"]).Children.Single();
            Assert.Equal(Scalar(services[name], "image"), Scalar(container, "image"));
        }
    }

    [Fact]
    public void The_run_script_uses_the_same_host_ports_as_compose()
    {
        var run = File.ReadAllText(Path.Combine(Root, "deploy", "run.sh"));
        var services = Map(Compose(), "services");
        foreach (var (name, serviceClass) in Services)
        {
            var hostPort = ((YamlSequenceNode)Map(services, name)["ports"]).Children.Cast<YamlScalarNode>().Single().Value!.Split(':')[0];
            Assert.Contains($"[{serviceClass}]={hostPort}", run, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"ASPNETCORE_HTTP_PORTS=(\d+)")]
    private static partial Regex HttpPorts();
}
