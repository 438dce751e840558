using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Platform.Deployment.Tests;

/// <summary>
/// The dashboard and the alert rules name only metrics the services export, Prometheus gets them
/// from the collector, and promtool accepts the rules and passes their unit tests.
/// </summary>
public sealed partial class MonitoringTests
{
    private static readonly string Root = DeploymentFilesTests.Root;
    private static readonly string Prometheus = Path.Combine(Root, "deploy", "prometheus");
    private static readonly string Dashboard = Path.Combine(Root, "deploy", "grafana", "dashboards", "warranty-platform.json");

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "le", "inf", "nan",
    };

    private static List<string> DashboardQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var queries = document.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
        return queries;
    }

    private static List<(string Alert, string Expr)> AlertRules()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Prometheus, "alerts.yml")))
        {
            stream.Load(reader);
        }
        return ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["groups"]).Children
            .SelectMany(g => ((YamlSequenceNode)((YamlMappingNode)g)["rules"]).Children.Cast<YamlMappingNode>())
            .Select(r => (((YamlScalarNode)r["alert"]).Value!, ((YamlScalarNode)r["expr"]).Value!))
            .ToList();
    }

    /// <summary>The metric names in a PromQL expression: what is left once strings, label matchers, ranges, groupings, functions and keywords are taken out.</summary>
    public static IReadOnlySet<string> MetricsIn(string expr)
    {
        var stripped = Strings().Replace(expr, "\"\"");
        stripped = Braces().Replace(stripped, " ");
        stripped = Ranges().Replace(stripped, " ");
        stripped = Groupings().Replace(stripped, " ");
        return Identifiers().Matches(stripped)
            .Where(m => !m.Groups["call"].Success && !PromQlWords.Contains(m.Groups["name"].Value.ToLowerInvariant()))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public void The_metric_reader_finds_names_and_nothing_else_in_PromQL()
    {
        Assert.Equal(["a_total", "b_bucket"], MetricsIn("sum by (job, le) (rate(a_total{x=\"y\", le=~\"5..\"}[5m])) / on(job) group_left histogram_quantile(0.9, b_bucket) > bool 0.2").Order());
    }

    [Fact]
    public async Task The_dashboard_is_JSON_whose_every_query_names_only_metrics_the_services_export()
    {
        var exported = await ExportedMetrics.PrometheusNames();
        var queries = DashboardQueries();
        Assert.True(queries.Count >= 20, $"the dashboard has {queries.Count} queries");
        var named = queries.SelectMany(MetricsIn).ToHashSet(StringComparer.Ordinal);
        // What the issue asks the dashboard to show.
        foreach (var required in new[]
                 {
                     "platform_outbox_lag_seconds", "platform_scheduler_lag_seconds", "platform_messages_error_queue_depth", "platform_pipeline_handled_total",
                     "platform_repairdispatch_callback_sla_breaches_total", "platform_repairdispatch_time_to_callback_hours_bucket", "platform_warranty_claims_decided_total",
                     "platform_arbitration_stale_cases", "http_server_request_duration_seconds_count",
                 })
        {
            Assert.Contains(required, named);
        }
        var unknown = named.Where(n => !exported.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, $"the dashboard queries metrics no service exports: {string.Join(", ", unknown)}; exported: {string.Join(", ", exported.Order())}");
    }

    [Fact]
    public async Task Every_alert_rule_names_only_metrics_the_services_export()
    {
        var exported = await ExportedMetrics.PrometheusNames();
        foreach (var (alert, expr) in AlertRules())
        {
            var names = MetricsIn(expr);
            Assert.NotEmpty(names);
            var unknown = names.Where(n => !exported.Contains(n)).ToList();
            Assert.True(unknown.Count == 0, $"{alert} queries metrics no service exports: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void Every_alert_names_a_section_of_the_runbook_that_exists()
    {
        var runbook = File.ReadAllText(Path.Combine(Root, "docs", "runbook.md"));
        var anchors = Headings().Matches(runbook).Select(m => m.Groups[1].Value.Trim().ToLowerInvariant().Replace(' ', '-')).ToHashSet(StringComparer.Ordinal);
        var links = RunbookLinks().Matches(File.ReadAllText(Path.Combine(Prometheus, "alerts.yml"))).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(AlertRules().Count, links.Count);
        Assert.All(links, link => Assert.Contains(link, anchors));
    }

    [Fact]
    public void The_outage_test_evaluates_the_lag_alert_s_own_expression()
    {
        var lag = AlertRules().Single(r => r.Alert == "OutboxLagging").Expr.Trim();
        var tests = File.ReadAllText(Path.Combine(Prometheus, "alerts.test.yml"));
        Assert.Contains($"- expr: {lag}\n", tests, StringComparison.Ordinal);
    }

    [Fact]
    public void The_collector_serves_metrics_to_the_Prometheus_that_compose_runs_with_the_rules_and_Grafana_the_dashboard()
    {
        var collector = (YamlMappingNode)Load(Path.Combine(Root, "deploy", "otel", "collector.yaml"));
        var pipelines = (YamlMappingNode)((YamlMappingNode)collector["service"])["pipelines"];
        var metricExporters = ((YamlSequenceNode)((YamlMappingNode)pipelines["metrics"])["exporters"]).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
        Assert.Equal(["prometheus"], metricExporters);
        Assert.True(pipelines.Children.ContainsKey("logs"), "the collector takes no logs, which the services send when an endpoint is set");
        var endpoint = ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)collector["exporters"])["prometheus"])["endpoint"]).Value!;
        var port = endpoint.Split(':')[^1];

        var prometheus = File.ReadAllText(Path.Combine(Prometheus, "prometheus.yml"));
        Assert.Contains($"otel-collector:{port}", prometheus, StringComparison.Ordinal);
        Assert.Contains("/etc/prometheus/alerts.yml", prometheus, StringComparison.Ordinal);

        var services = (YamlMappingNode)((YamlMappingNode)Load(Path.Combine(Root, "docker-compose.yml")))["services"];
        var mounts = string.Join("\n", ((YamlSequenceNode)((YamlMappingNode)services["prometheus"])["volumes"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Contains("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml", mounts, StringComparison.Ordinal);
        Assert.Contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml", mounts, StringComparison.Ordinal);
        var grafana = string.Join("\n", ((YamlSequenceNode)((YamlMappingNode)services["grafana"])["volumes"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards", grafana, StringComparison.Ordinal);
        Assert.Contains("http://prometheus:9090", File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "provisioning", "datasources", "prometheus.yaml")), StringComparison.Ordinal);
        Assert.True(services.Children.ContainsKey("jaeger"));
    }

    [PromtoolFact]
    public async Task Promtool_accepts_the_rules_and_their_unit_tests_pass()
    {
        var (checkCode, checkOutput) = await Promtool("check", "rules", "alerts.yml");
        Assert.True(checkCode == 0, checkOutput);
        Assert.Contains("SUCCESS", checkOutput, StringComparison.Ordinal);
        var (testCode, testOutput) = await Promtool("test", "rules", "alerts.test.yml");
        Assert.True(testCode == 0, testOutput);
        Assert.Contains("SUCCESS", testOutput, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> Promtool(params string[] arguments)
    {
        Assert.True(PromtoolFactAttribute.Path is not null, "promtool not found: deploy/test.sh takes it from Debian's prometheus package, or set PLATFORM_PROMTOOL");
        var start = new ProcessStartInfo(PromtoolFactAttribute.Path!) { WorkingDirectory = Prometheus, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static YamlNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"^## (.+)$", RegexOptions.Multiline)]
    private static partial Regex Headings();

    [GeneratedRegex(@"runbook: docs/runbook\.md#([a-z-]+)")]
    private static partial Regex RunbookLinks();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}

/// <summary>
/// Runs where promtool is (PLATFORM_PROMTOOL, else the PATH; deploy/test.sh provides it from
/// Debian's prometheus package); skipped without it on a developer's machine, failed without it in CI.
/// </summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public static readonly string? Path = Find();

    public PromtoolFactAttribute()
    {
        if (Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "promtool not found (Debian's prometheus package has it; deploy/test.sh installs it)";
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("PLATFORM_PROMTOOL") is { Length: > 0 } configured)
        {
            return configured;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
            .Select(d => System.IO.Path.Combine(d, "promtool"))
            .FirstOrDefault(File.Exists);
    }
}
