using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.ServiceDefaults;

/// <summary>
/// Text in a request body that the services could not keep as sent is refused as input that cannot
/// be read, a 400: PostgreSQL cannot hold the NUL character (a 500 at the database otherwise), and
/// half a surrogate pair is no Unicode text at all (it would be kept as U+FFFD, not as sent). Every
/// other string is read as the default converter reads it.
/// </summary>
internal sealed class StorableTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is null || IsStorable(text)
            ? text
            : throw new JsonException("Text must be Unicode without the NUL character (U+0000) and without half a surrogate pair.");
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    private static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (text[i] == '\0' || char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
