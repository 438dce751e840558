using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Platform.Contracts.Tests;

/// <summary>
/// Writes the JSON Schema of a message from its CLR type and XML documentation, so the published
/// schemas cannot say anything the code does not.
/// </summary>
internal static partial class SchemaGenerator
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Docs = new(LoadDocs);

    public static string RelativePath(Type message) =>
        Path.Combine(ContractCatalog.ContextOf(message), $"{message.Name}.schema.json");

    /// <summary>The id MassTransit gives the message type in its envelope's messageType.</summary>
    public static string MessageUrn(Type message) => $"urn:message:{message.Namespace}:{message.Name}";

    public static string Generate(Type message)
    {
        var exporterOptions = new JsonSchemaExporterOptions
        {
            // Roots and list items carry no nullable annotation the exporter can read; none may be null.
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                if (node is JsonObject schema && Describe(context) is { } description)
                {
                    schema["description"] = description;
                }
                return node;
            },
        };
        var body = ContractJson.Options.GetJsonSchemaAsNode(message, exporterOptions).AsObject();

        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = MessageUrn(message),
            ["title"] = message.Name,
        };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            root[key] = value;
        }
        return root.ToJsonString(GeneratedFiles.FileFormat) + "\n";
    }

    private static string? Describe(JsonSchemaExporterContext context)
    {
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        var member = context.PropertyInfo?.AttributeProvider as MemberInfo;
        var summary = member is not null
            ? Doc($"P:{member.DeclaringType!.FullName}.{member.Name}")
            : Doc($"T:{type.FullName}");
        if (type == typeof(decimal))
        {
            return $"{summary} Written as a decimal string such as \"1234.50\"; a JSON number is read too.";
        }
        if (!type.IsEnum || type.Assembly != ContractCatalog.Assembly)
        {
            return summary;
        }
        // A consumer in another language sees only the names; tell it what each one means.
        var values = Enum.GetNames(type).Select(name => $"{name}: {Doc($"F:{type.FullName}.{name}")}");
        return string.Join(" ", [summary, .. values]);
    }

    private static string? Doc(string memberId) => Docs.Value.GetValueOrDefault(memberId);

    private static IReadOnlyDictionary<string, string> LoadDocs()
    {
        var file = Path.ChangeExtension(ContractCatalog.Assembly.Location, ".xml");
        return XDocument.Load(file).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Text(m.Element("summary")!), StringComparer.Ordinal);
    }

    private static string Text(XElement summary)
    {
        foreach (var see in summary.Descendants("see").ToList())
        {
            see.ReplaceWith(CrefName((string?)see.Attribute("cref") ?? ""));
        }
        return Whitespace().Replace(summary.Value, " ").Trim();
    }

    /// <summary>A reference as a schema reader knows it: a message by its name, a property by its JSON name.</summary>
    private static string CrefName(string cref)
    {
        var name = cref[(cref.LastIndexOf('.') + 1)..];
        return cref.StartsWith("P:", StringComparison.Ordinal)
            ? JsonNamingPolicy.CamelCase.ConvertName(name)
            : name;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
