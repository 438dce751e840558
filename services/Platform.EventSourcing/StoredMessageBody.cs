using System.Collections.Concurrent;
using System.Net.Mime;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using MassTransit.Serialization;

namespace Platform.EventSourcing;

/// <summary>
/// Sends an outbox row's stored JSON as the <c>message</c> of MassTransit's own envelope, so the relay
/// neither reads the body into its type nor writes it out again. The envelope is the one MassTransit
/// writes (<see cref="JsonMessageEnvelope"/> from the send context, built when the transport asks for the
/// body, after every pipe has stamped ids, headers, addresses and message types), with MassTransit's
/// options; the stored body was written with those same options (<see cref="WireJson"/>), so a consumer
/// reads what a publish of the object would have given it.
/// </summary>
public sealed class StoredMessageBody(string json) : IMessageSerializer
{
    private static readonly ConcurrentDictionary<Type, object> Placeholders = new();

    public ContentType ContentType => SystemTextJsonMessageSerializer.JsonContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class =>
        new SystemTextJsonMessageBody<T>(context, SystemTextJsonMessageSerializer.Options, new JsonMessageEnvelope(context, new RawJson(json)));

    /// <summary>
    /// What MassTransit's typed publish is handed for <paramref name="type"/>: it routes by the type and
    /// copies no field of the instance when this serializer writes the body, so one never-initialised
    /// instance per type stands in for the message. (MassTransit's correlation convention reads a
    /// <c>CorrelationId</c> property, which no platform message has; the relay sets the id itself.)
    /// </summary>
    public static object Placeholder(Type type) => Placeholders.GetOrAdd(type, RuntimeHelpers.GetUninitializedObject);

    [JsonConverter(typeof(RawJsonConverter))]
    private sealed record RawJson(string Json);

    private sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Stored bodies are only written.");

        // jsonb's text is valid JSON by construction: validating it would parse it, which is the cost saved.
        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json, skipInputValidation: true);
    }
}

/// <summary>
/// The JSON of a message on the wire: MassTransit's own serializer options (camelCase, money as a
/// decimal string, enums as their contracts say). Outbox bodies are stored in it, so the relay can send
/// them as they are (<see cref="StoredMessageBody"/>).
/// </summary>
public static class WireJson
{
    public static string Serialize(object message) =>
        JsonSerializer.Serialize(message, message.GetType(), SystemTextJsonMessageSerializer.Options);
}
