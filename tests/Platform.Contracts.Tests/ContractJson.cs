using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Platform.Contracts.Tests;

/// <summary>
/// The wire format of the contracts: what MassTransit 8.4's System.Text.Json serializer writes and
/// reads, expressed with BCL options only so that the schema exporter understands every part of it.
/// SerializationTests proves the two agree on every message.
/// </summary>
internal static class ContractJson
{
    /// <summary>
    /// Web defaults (camelCase names, case-insensitive reading) with MassTransit's two departures
    /// from them: other numbers must be JSON numbers (Web would read "2" as 2, MassTransit does
    /// not), and decimals are written as strings ("1234.50", keeping their precision for readers
    /// whose numbers are doubles) and read from either. Enums are written by name through the
    /// converter attribute on each enum, so no converter is registered here.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DecimalsAsStrings } },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void DecimalsAsStrings(JsonTypeInfo type)
    {
        foreach (var property in type.Properties.Where(p => p.PropertyType == typeof(decimal) || p.PropertyType == typeof(decimal?)))
        {
            property.NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString;
        }
    }
}
