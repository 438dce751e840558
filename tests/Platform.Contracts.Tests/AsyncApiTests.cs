using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Platform.Contracts.Tests;

/// <summary>
/// docs/integrating/asyncapi.json is what integrators generate clients and documentation from: it
/// must be what the contracts and the topology say, place every message, and be a document the
/// AsyncAPI parser accepts.
/// </summary>
public class AsyncApiTests
{
    private static readonly string ValidatorDirectory = Path.Combine(RepositoryPaths.Root, "tests", "asyncapi");

    [Fact]
    public void The_committed_document_matches_the_code()
    {
        var drifted = GeneratedFiles.Check(AsyncApiGenerator.Path, AsyncApiGenerator.Generate());

        Assert.True(drifted is null, $"The AsyncAPI document does not match the code: {drifted}\n{GeneratedFiles.HowToRegenerate}");
    }

    [Fact]
    public void Every_message_is_published_sent_or_said_to_be_unused()
    {
        var sent = BusTopology.Sends.Select(s => s.Message).ToHashSet();
        var placed = BusTopology.Publishers.Keys.Concat(sent).Concat(BusTopology.Unused.Keys).ToHashSet();

        Assert.Empty(ContractCatalog.Messages.Where(m => !placed.Contains(m)).Select(m => $"{m.FullName}: say in BusTopology who publishes or sends it"));
        Assert.Empty(placed.Except(ContractCatalog.Messages).Select(m => $"{m.FullName} is not a message of the contracts"));
        Assert.Empty(BusTopology.Unused.Keys.Where(m => BusTopology.Publishers.ContainsKey(m) || sent.Contains(m) || BusTopology.Queues.Any(q => q.Messages.Contains(m))).Select(m => m.FullName));
    }

    [Fact]
    public void Every_queue_gets_what_it_takes()
    {
        var unreachable = BusTopology.Queues
            .SelectMany(q => q.Messages.Select(m => (Queue: q, Message: m)))
            .Where(x => x.Queue.Bound
                ? !BusTopology.Publishers.ContainsKey(x.Message)
                : !BusTopology.Sends.Any(s => s.Queue == x.Queue && s.Message == x.Message))
            .Select(x => $"{x.Queue.Name} takes {x.Message.Name}, which no one publishes or sends to it");

        Assert.Empty(unreachable);
    }

    [Fact]
    public void Each_operation_names_who_sends_or_receives()
    {
        var operations = JsonNode.Parse(AsyncApiGenerator.Generate())!["operations"]!.AsObject();
        var parties = BusTopology.Parties.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

        Assert.All(operations, operation =>
        {
            var party = (string)operation.Value!["tags"]![0]!["name"]!;
            Assert.Contains(party, parties);
            Assert.StartsWith(party + ".", operation.Key, StringComparison.Ordinal);
        });
        // Each side of the trade system's and the providers' interface is described.
        Assert.Contains("tradeSystem.publishes.Trade.V1.OrderPlaced", operations.Select(o => o.Key));
        Assert.Contains("repairProvider.receives.repair-provider", operations.Select(o => o.Key));
        Assert.Contains("repairProvider.sends.Repair.V1.RepairJobCompleted", operations.Select(o => o.Key));
    }

    [Fact]
    public void The_AsyncAPI_parser_accepts_the_committed_document()
    {
        var (exitCode, output) = Validate(AsyncApiGenerator.Path);

        Assert.True(exitCode == 0, $"The AsyncAPI parser refuses docs/integrating/asyncapi.json:\n{output}");
    }

    [Fact]
    public void The_AsyncAPI_parser_refuses_a_broken_document()
    {
        // The check above must be able to fail: an operation on a channel that does not exist.
        var broken = JsonNode.Parse(AsyncApiGenerator.Generate())!;
        broken["operations"]!["tradeSystem.publishes.Trade.V1.OrderPlaced"]!["channel"]!["$ref"] = "#/channels/nowhere";
        // A tree of its own beside the real contracts, so the document's relative references still resolve.
        var root = Directory.CreateTempSubdirectory("asyncapi-broken-");
        try
        {
            var documentDirectory = Directory.CreateDirectory(Path.Combine(root.FullName, "docs", "integrating"));
            Directory.CreateSymbolicLink(Path.Combine(root.FullName, "contracts"), Path.Combine(RepositoryPaths.Root, "contracts"));
            var path = Path.Combine(documentDirectory.FullName, "asyncapi.json");
            File.WriteAllText(path, broken.ToJsonString());

            var (exitCode, output) = Validate(path);

            Assert.True(exitCode == 1, $"The parser accepted a document whose operation names no channel:\n{output}");
            Assert.Contains("INVALID", output, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static readonly Lazy<string?> Installation = new(Install);

    /// <summary>Runs tests/asyncapi/validate.mjs on the document; installs the parser first when needed.</summary>
    private static (int ExitCode, string Output) Validate(string document)
    {
        Assert.True(Installation.Value is null, Installation.Value);
        return Run("node", ValidatorDirectory, "validate.mjs", document);
    }

    /// <summary>
    /// npm ci from the committed lock file, once per lock file: a stamp beside the installed modules
    /// says which lock file they came from. Install scripts are not run; the parser needs none.
    /// Returns why it failed, or null.
    /// </summary>
    private static string? Install()
    {
        var lockFile = Path.Combine(ValidatorDirectory, "package-lock.json");
        var stamp = Path.Combine(ValidatorDirectory, "node_modules", ".installed-from-package-lock.json");
        if (File.Exists(stamp) && File.ReadAllText(stamp) == File.ReadAllText(lockFile))
        {
            return null;
        }
        var (exitCode, output) = Run("npm", ValidatorDirectory, "ci", "--ignore-scripts", "--no-audit", "--no-fund");
        if (exitCode != 0)
        {
            return $"npm ci in tests/asyncapi failed ({exitCode}):\n{output}";
        }
        File.Copy(lockFile, stamp, overwrite: true);
        return null;
    }

    private static (int ExitCode, string Output) Run(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Not skipped: CI must prove the document valid. deploy/test.sh installs Node.js where it is missing.
            return (-1, $"`{program}` could not be started ({e.Message}): the AsyncAPI check needs Node.js 20 and npm (apt-get install nodejs npm).");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{program} {string.Join(' ', arguments)} did not finish in 5 minutes.");
            }
            return (process.ExitCode, output.Result + error.Result);
        }
    }
}
