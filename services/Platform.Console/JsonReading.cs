using System.Text.Json;

namespace Platform.Console;

/// <summary>Reading the APIs' answers leniently: a field a role's view leaves out is shown as absent, never a failure.</summary>
public static class JsonReading
{
    public static JsonElement? Prop(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? S(this JsonElement element, string name) => element.Prop(name) is { } value
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
        : null;

    /// <summary>An instant, given plainly or as a worklist's {utc, local, timeZone}.</summary>
    public static DateTimeOffset? At(this JsonElement element, string name) => element.Prop(name) is { } value
        ? value.ValueKind == JsonValueKind.Object ? value.At("utc") : value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at) ? at : null
        : null;

    public static bool True(this JsonElement element, string name) => element.Prop(name) is { ValueKind: JsonValueKind.True };

    public static IEnumerable<JsonElement> Each(this JsonElement element, string name) =>
        element.Prop(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];
}
