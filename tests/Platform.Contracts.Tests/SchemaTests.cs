namespace Platform.Contracts.Tests;

/// <summary>
/// The committed schemas under contracts/schemas are what consumers on other platforms read, so
/// they must say exactly what the code says.
/// </summary>
public class SchemaTests
{
    private const string UpdateVariable = "UPDATE_CONTRACT_SCHEMAS";

    private static readonly string HowToRegenerate =
        $"Regenerate with `{UpdateVariable}=1 dotnet test tests/Platform.Contracts.Tests` and review the diff: "
        + "inside a version only additive changes are allowed (contracts/README.md).";

    private static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    [Fact]
    public void Every_message_has_a_committed_schema_that_matches_the_code()
    {
        var drifted = new List<string>();
        foreach (var message in ContractCatalog.Messages)
        {
            var path = Path.Combine(RepositoryPaths.SchemasDirectory, SchemaGenerator.RelativePath(message));
            var generated = SchemaGenerator.Generate(message);
            var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
            if (committed == generated)
            {
                continue;
            }
            if (Updating)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, generated);
            }
            else
            {
                drifted.Add($"{SchemaGenerator.RelativePath(message)} ({(committed is null ? "missing" : "differs")})");
            }
        }

        Assert.True(drifted.Count == 0,
            $"The schemas of {drifted.Count} message(s) do not match the code:\n  {string.Join("\n  ", drifted)}\n{HowToRegenerate}");
    }

    [Fact]
    public void No_schema_is_committed_for_a_message_that_no_longer_exists()
    {
        var expected = ContractCatalog.Messages.Select(SchemaGenerator.RelativePath).ToHashSet(StringComparer.Ordinal);
        var orphans = Directory.Exists(RepositoryPaths.SchemasDirectory)
            ? Directory.EnumerateFiles(RepositoryPaths.SchemasDirectory, "*.schema.json", SearchOption.AllDirectories)
                .Where(file => !expected.Contains(Path.GetRelativePath(RepositoryPaths.SchemasDirectory, file)))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        if (Updating)
        {
            orphans.ForEach(File.Delete);
            return;
        }

        Assert.True(orphans.Count == 0,
            "Schemas are committed for messages the code no longer has (removing a message is a breaking change: "
            + $"it needs a new version):\n  {string.Join("\n  ", orphans.Select(f => Path.GetRelativePath(RepositoryPaths.SchemasDirectory, f)))}\n{HowToRegenerate}");
    }

    [Fact]
    public void Each_schema_names_its_message_and_describes_every_property()
    {
        foreach (var message in ContractCatalog.Messages)
        {
            var schema = System.Text.Json.Nodes.JsonNode.Parse(SchemaGenerator.Generate(message))!;

            Assert.Equal(SchemaGenerator.MessageUrn(message), (string?)schema["$id"]);
            Assert.Equal(message.Name, (string?)schema["title"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)schema["description"]), $"{message.Name} has no description");
            foreach (var (name, property) in schema["properties"]!.AsObject())
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)property!["description"]), $"{message.Name}.{name} has no description");
            }
        }
    }
}
