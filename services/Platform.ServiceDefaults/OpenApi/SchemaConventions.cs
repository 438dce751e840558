using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.OpenApi;

/// <summary>
/// Schemas as the services really write and read JSON:
/// - strings are strings: the services read every string through <see cref="StorableTextConverter"/>, a converter
///   the schema generator cannot see through, and would describe as anything (<c>{}</c>);
/// - a property is required when its C# type says it is never null (the services write every such property), or
///   when it is marked [Required]: a request property that the endpoint checks itself, to answer a 400 naming it, is
///   nullable in C# and says it is required with the attribute (nothing validates the attribute; the endpoint does);
/// - arrays of strings say their items are strings, and numbers are numbers (the services also read them from
///   strings, which a client need not know);
/// - a request string marked <see cref="EnumNamesAttribute"/> lists the names it takes;
/// - the platform's common fields (ids, reasons, statements, regions) carry an example;
/// - problem details carry the platform's <c>code</c> and, for a refusal that came early, <c>retryAt</c>.
/// </summary>
internal sealed class SchemaConventions : IOpenApiSchemaTransformer
{
    private readonly NullabilityInfoContext nullability = new();

    /// <summary>Examples by JSON property name, the same in every service, so that the reference pages show requests that read true.</summary>
    private static readonly Dictionary<string, Func<JsonNode>> Examples = new(StringComparer.Ordinal)
    {
        ["orderId"] = () => "O-20260601-0001",
        ["lineId"] = () => "L1",
        ["buyerId"] = () => "buyer-1001",
        ["merchantId"] = () => "merchant-42",
        ["providerId"] = () => "acme-repairs-sh",
        ["faultDescription"] = () => "The screen flickers from the first day.",
        ["reason"] = () => "The phone was dropped; the screen is cracked.",
        ["statement"] = () => "It flickered before any drop; see the unboxing video.",
        ["rationale"] = () => "The flicker predates the drop.",
        ["progress"] = () => "Screen ordered from the brand.",
        ["report"] = () => "Screen replaced; the flicker is gone.",
        ["regions"] = () => new JsonArray("310000", "320000"),
        ["categories"] = () => new JsonArray("phones"),
        ["capacity"] = () => 5,
        ["evidenceLinks"] = () => new JsonArray("https://evidence.example/unboxing.mp4"),
        ["links"] = () => new JsonArray("https://evidence.example/courier-photo.jpg"),
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(string) && schema.Type is null)
        {
            schema.Type = context.JsonPropertyInfo is { } property && IsNullable(property) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Enumerable && context.JsonTypeInfo.ElementType == typeof(string) && schema.Items is null or OpenApiSchema { Type: null })
        {
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Dictionary && context.JsonTypeInfo.ElementType == typeof(string[]))
        {
            schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
        // The services read numbers from strings too (the web defaults); a client writes numbers, and should be told so.
        if (schema.Type is { } numeric && (numeric.HasFlag(JsonSchemaType.Integer) || numeric.HasFlag(JsonSchemaType.Number)) && numeric.HasFlag(JsonSchemaType.String))
        {
            schema.Type = numeric & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(EnumNamesAttribute), inherit: true) is [EnumNamesAttribute names, ..])
        {
            schema.Enum = [.. names.Names.Select(name => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(name))];
        }
        if (context.JsonPropertyInfo is { Name: var jsonName } && Examples.TryGetValue(jsonName, out var example) && schema.Examples is null or { Count: 0 })
        {
            schema.Examples = [example()];
        }
        var isProblem = typeof(Microsoft.AspNetCore.Mvc.ProblemDetails).IsAssignableFrom(type);
        // A problem's members are all optional: a 400 the framework could not bind has no errors.
        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && !isProblem)
        {
            var required = context.JsonTypeInfo.Properties
                .Where(p => !p.IsExtensionData && (!IsNullable(p) || p.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true))
                .Select(p => p.Name)
                .ToHashSet(StringComparer.Ordinal);
            schema.Required = required.Count > 0 ? required : null;
        }
        if (context.JsonPropertyInfo is null && isProblem)
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            schema.Properties[Problems.CodeExtension] = new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                Description = "What went wrong, for a program to act on: a refusal's code from the domain (MerchantResponseDeadlinePassed), or the platform's (IdempotencyKeyReused, ConcurrentChange).",
            };
            schema.Properties["retryAt"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                Format = "date-time",
                Description = "For a refusal that came before its time: when the same request may succeed.",
            };
            schema.Examples =
            [
                new JsonObject
                {
                    ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
                    ["title"] = "Refused",
                    ["status"] = 409,
                    ["detail"] = "The merchant answered after its 48-hour deadline: silence had already accepted the claim.",
                    [Problems.CodeExtension] = "MerchantResponseDeadlinePassed",
                },
            ];
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A required property is sent with a value: null is what an endpoint refuses for a [Required] request field. Run
    /// over the finished document, as the generator marks a nullable C# member's schema nullable after the transformers.
    /// </summary>
    internal static void RequiredIsNeverNull(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            foreach (var name in schema.Required ?? new HashSet<string>())
            {
                if (schema.Properties?.TryGetValue(name, out var property) == true && property is OpenApiSchema { Type: { } type } own)
                {
                    own.Type = type & ~JsonSchemaType.Null;
                }
            }
        }
    }

    /// <summary>Whether the property may be missing or null in the JSON: a nullable type, or a member marked so by its C# annotations.</summary>
    private bool IsNullable(JsonPropertyInfo property)
    {
        if (property.PropertyType.IsValueType)
        {
            return Nullable.GetUnderlyingType(property.PropertyType) is not null;
        }
        var state = property.AttributeProvider switch
        {
            PropertyInfo member => nullability.Create(member).ReadState,
            FieldInfo member => nullability.Create(member).ReadState,
            _ => NullabilityState.Unknown,
        };
        return state != NullabilityState.NotNull;
    }
}
