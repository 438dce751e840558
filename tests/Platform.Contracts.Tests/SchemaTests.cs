namespace Platform.Contracts.Tests;

/// <summary>
/// The committed schemas under contracts/schemas are what consumers on other platforms read, so
/// they must say exactly what the code says.
/// </summary>
public class SchemaTests
{
    [Fact]
    public void Every_message_has_a_committed_schema_that_matches_the_code()
    {
        var drifted = ContractCatalog.Messages
            .Select(m => GeneratedFiles.Check(Path.Combine(RepositoryPaths.SchemasDirectory, SchemaGenerator.RelativePath(m)), SchemaGenerator.Generate(m)))
            .OfType<string>()
            .ToList();

        Assert.True(drifted.Count == 0,
            $"The schemas of {drifted.Count} message(s) do not match the code:\n  {string.Join("\n  ", drifted)}\n{GeneratedFiles.HowToRegenerate}");
    }

    [Fact]
    public void No_schema_is_committed_for_a_message_that_no_longer_exists()
    {
        var orphans = GeneratedFiles.Orphans(RepositoryPaths.SchemasDirectory, "*.schema.json", ContractCatalog.Messages.Select(SchemaGenerator.RelativePath));

        Assert.True(orphans.Count == 0,
            "Schemas are committed for messages the code no longer has (removing a message is a breaking change: "
            + $"it needs a new version):\n  {string.Join("\n  ", orphans)}\n{GeneratedFiles.HowToRegenerate}");
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
