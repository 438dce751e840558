using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.EventSourcing;

/// <summary>The one JSON shape of stored events and outbox bodies: web defaults, enums by name.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
