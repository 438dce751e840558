using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.EventSourcing;

/// <summary>The one JSON shape of stored events, refusals and outgoing messages' metadata: web defaults, enums by name. Outbox bodies are in <see cref="WireJson"/>.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        // jsonb stores keys shortest first, so a polymorphic "$type" comes back after short
        // properties such as "id"; the reader must not insist on it coming first.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { AllowOutOfOrderMetadataProperties = true };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
