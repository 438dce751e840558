using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Contracts.Tests;

/// <summary>
/// The example message of each contract as it travels: MassTransit's JSON envelope with the fields
/// the platform needs (messageId, messageType) around the record in its wire format.
/// </summary>
internal static class ExampleEnvelopes
{
    public const string ContentType = "application/vnd.masstransit+json";

    public static string Directory { get; } = Path.Combine(RepositoryPaths.IntegratingDirectory, "examples");

    public static string RelativePath(Type message) =>
        Path.Combine(ContractCatalog.ContextOf(message), $"{message.Name}.json");

    /// <summary>
    /// A name-based UUID (version 8, from SHA-256 of the message type), so the committed files do not
    /// change on every run; a real sender makes a new GUID for each message it sends.
    /// </summary>
    public static Guid MessageId(Type message)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(SchemaGenerator.MessageUrn(message)))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static string Generate(Type message)
    {
        var example = ExampleMessages.ByType.GetValueOrDefault(message)
            ?? throw new InvalidOperationException($"{message.FullName} has no example: add a realistic instance to ExampleMessages.cs.");
        var envelope = new JsonObject
        {
            ["messageId"] = MessageId(message).ToString(),
            ["messageType"] = new JsonArray(SchemaGenerator.MessageUrn(message)),
            ["message"] = JsonSerializer.SerializeToNode(example, message, ContractJson.Options),
        };
        return envelope.ToJsonString(GeneratedFiles.FileFormat) + "\n";
    }
}
