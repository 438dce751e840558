using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MassTransit;
using MassTransit.Serialization;

namespace Platform.Contracts.Tests;

/// <summary>
/// The example messages of the integration guide (docs/integrating/examples) are what integrators
/// copy, so they must be what the code generates, valid by the committed schemas, complete, and
/// readable by the services' own serializer.
/// </summary>
public class ExampleTests
{
    public static TheoryData<string> Messages => [.. ContractCatalog.Messages.Select(m => m.FullName!)];

    [Fact]
    public void Every_message_has_a_committed_example_that_matches_the_code()
    {
        var drifted = ContractCatalog.Messages
            .Select(m => GeneratedFiles.Check(Path.Combine(ExampleEnvelopes.Directory, ExampleEnvelopes.RelativePath(m)), ExampleEnvelopes.Generate(m)))
            .OfType<string>()
            .ToList();

        Assert.True(drifted.Count == 0,
            $"The examples of {drifted.Count} message(s) do not match the code:\n  {string.Join("\n  ", drifted)}\n{GeneratedFiles.HowToRegenerate}");
    }

    [Fact]
    public void No_example_is_committed_for_a_message_that_no_longer_exists()
    {
        var orphans = GeneratedFiles.Orphans(ExampleEnvelopes.Directory, "*.json", ContractCatalog.Messages.Select(ExampleEnvelopes.RelativePath));

        Assert.True(orphans.Count == 0, $"Examples are committed for messages the code no longer has:\n  {string.Join("\n  ", orphans)}\n{GeneratedFiles.HowToRegenerate}");
    }

    [Fact]
    public void Every_example_is_of_a_message()
    {
        var notMessages = ExampleMessages.ByType.Keys.Except(ContractCatalog.Messages).Select(t => t.FullName);

        Assert.Empty(notMessages);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_committed_example_is_valid_by_the_committed_schema(string messageName)
    {
        var type = ContractCatalog.Assembly.GetType(messageName)!;
        var schemaPath = Path.Combine(RepositoryPaths.SchemasDirectory, SchemaGenerator.RelativePath(type));
        // A registry per schema: every schema has its own $id, and the default registry is process-wide.
        var schema = JsonSchema.FromText(File.ReadAllText(schemaPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var example = JsonDocument.Parse(Committed(type));

        var result = schema.Evaluate(example.RootElement.GetProperty("message"),
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

        Assert.True(result.IsValid, $"{ExampleEnvelopes.RelativePath(type)} is not valid by {SchemaGenerator.RelativePath(type)}:\n  "
            + string.Join("\n  ", (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_committed_example_names_every_property(string messageName)
    {
        var type = ContractCatalog.Assembly.GetType(messageName)!;
        var message = JsonNode.Parse(Committed(type))!["message"]!;

        var missing = MissingProperties(type, message.AsObject(), "message").ToList();

        Assert.True(missing.Count == 0,
            $"{ExampleEnvelopes.RelativePath(type)} lacks {string.Join(", ", missing)}: give each a realistic value in ExampleMessages.cs "
            + "(null where it does not apply to the example's story) and regenerate.");
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void MassTransit_reads_the_committed_example_as_the_contract(string messageName)
    {
        var type = ContractCatalog.Assembly.GetType(messageName)!;
        var json = Committed(type);

        var context = Deserialize(json);
        var read = ReadMessage(context, type);

        Assert.Equal(ExampleEnvelopes.MessageId(type), context.MessageId);
        Assert.Contains(SchemaGenerator.MessageUrn(type), context.SupportedMessageTypes);
        Assert.True(read is not null, $"MassTransit did not read {ExampleEnvelopes.RelativePath(type)} as {type.Name}.");
        // What MassTransit read is the example, field for field.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json)!["message"], JsonSerializer.SerializeToNode(read, type, ContractJson.Options)),
            $"MassTransit read {ExampleEnvelopes.RelativePath(type)} as something else.");
    }

    [Fact]
    public void A_message_id_that_is_not_a_guid_cannot_be_read()
    {
        // Why the guide insists on GUIDs: MassTransit cannot give such a message an id, so the
        // services' inbox, which de-duplicates on it, cannot take it, and it goes to _error.
        var type = typeof(Trade.V1.OrderPaid);
        var envelope = JsonNode.Parse(Committed(type))!;
        envelope["messageId"] = "T20260302-0000884213-paid";

        var context = Deserialize(envelope.ToJsonString());

        Assert.Throws<FormatException>(() => context.MessageId);
    }

    private static string Committed(Type message) =>
        File.ReadAllText(Path.Combine(ExampleEnvelopes.Directory, ExampleEnvelopes.RelativePath(message)));

    private static SerializerContext Deserialize(string json)
    {
        var deserializer = new SystemTextJsonMessageSerializer();
        Assert.Equal(ExampleEnvelopes.ContentType, deserializer.ContentType.MediaType);
        return deserializer.Deserialize(new StringMessageBody(json), EmptyHeaders.Instance, new Uri("queue:example"));
    }

    private static object? ReadMessage(SerializerContext context, Type type)
    {
        var arguments = new object?[] { null };
        var found = (bool)typeof(SerializerContext).GetMethods()
            .Single(m => m.Name == nameof(SerializerContext.TryGetMessage) && m.IsGenericMethodDefinition)
            .MakeGenericMethod(type)
            .Invoke(context, arguments)!;
        return found ? arguments[0] : null;
    }

    private static IEnumerable<string> MissingProperties(Type type, JsonObject node, string path)
    {
        foreach (var property in ContractCatalog.Properties(type))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!node.TryGetPropertyValue(name, out var value))
            {
                yield return $"{path}.{name}";
                continue;
            }
            var elementType = ContractCatalog.ElementType(property.PropertyType);
            if (value is null || !ContractCatalog.Records.Contains(elementType))
            {
                continue;
            }
            var items = value is JsonArray array ? array.Select((item, i) => (item, $"{path}.{name}[{i}]")) : [(value, $"{path}.{name}")];
            foreach (var (item, itemPath) in items)
            {
                foreach (var missing in MissingProperties(elementType, item!.AsObject(), itemPath))
                {
                    yield return missing;
                }
            }
        }
    }
}
