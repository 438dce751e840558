using System.Text.Json.Nodes;

namespace Platform.Contracts.Tests;

/// <summary>
/// Writes docs/integrating/asyncapi.json (AsyncAPI 3.0) from the contracts and the bus topology:
/// a channel per message exchange and per queue, an operation per publisher, sender and reader,
/// each message's payload the envelope around its committed JSON Schema, and its example.
/// </summary>
internal static class AsyncApiGenerator
{
    public static string Path { get; } = System.IO.Path.Combine(RepositoryPaths.IntegratingDirectory, "asyncapi.json");

    /// <summary>The committed schemas, as the document's readers (and the parser) reach them from the document.</summary>
    private const string SchemasFromDocument = "../../contracts/schemas/";

    private const string SchemaFormat = "application/schema+json;version=draft-07";

    private const string AmqpBindingVersion = "0.3.0";

    public static string Generate()
    {
        var document = new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "After-sales warranty platform: message bus",
                ["version"] = ContractCatalog.Assembly.GetName().Version!.ToString(3),
                ["description"] =
                    "The messages the platform's services and the parties around it (the trade system, customer-service systems, "
                    + "repair providers) exchange on RabbitMQ through MassTransit. README.md beside this file explains the envelope, "
                    + "message ids, versioning and what happens to a bad message. Generated from contracts/Platform.Contracts by "
                    + $"tests/Platform.Contracts.Tests: do not edit; regenerate with `{GeneratedFiles.UpdateVariable}=1 dotnet test tests/Platform.Contracts.Tests`.",
            },
            ["defaultContentType"] = ExampleEnvelopes.ContentType,
            ["servers"] = new JsonObject { ["broker"] = Server() },
            ["channels"] = Channels(),
            ["operations"] = Operations(),
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject { ["Envelope"] = Envelope() },
                ["messages"] = new JsonObject(ContractCatalog.Messages.Select(m => Entry(MessageKey(m), Message(m)))),
                ["securitySchemes"] = new JsonObject
                {
                    ["brokerUser"] = new JsonObject
                    {
                        ["type"] = "userPassword",
                        ["description"] = "A broker user of the party's own, issued by the platform's operator (README.md, \"Credentials\").",
                    },
                },
            },
        };
        return document.ToJsonString(GeneratedFiles.FileFormat) + "\n";
    }

    /// <summary>"Trade.V1.OrderPlaced": the message's key among the components.</summary>
    public static string MessageKey(Type message) => $"{ContractCatalog.ContextOf(message)}.{message.Name}";

    private static JsonObject Server() => new()
    {
        ["host"] = "{host}:{port}",
        ["protocol"] = "amqp",
        ["protocolVersion"] = "0.9.1",
        ["title"] = "RabbitMQ",
        ["description"] = "The platform's broker. The operator gives each party the host, the virtual host and the party's own credentials.",
        ["variables"] = new JsonObject
        {
            ["host"] = new JsonObject { ["description"] = "The broker's host name, given by the operator.", ["default"] = "127.0.0.1" },
            ["port"] = new JsonObject { ["description"] = "The AMQP port.", ["default"] = "5672" },
        },
        ["security"] = new JsonArray(Ref("#/components/securitySchemes/brokerUser")),
    };

    private static JsonObject Channels()
    {
        var channels = new JsonObject();
        foreach (var message in ContractCatalog.Messages.Where(BusTopology.Publishers.ContainsKey))
        {
            channels[ExchangeChannel(message)] = ExchangeChannelOf(message);
        }
        foreach (var queue in BusTopology.Queues)
        {
            channels[QueueChannel(queue)] = QueueChannelOf(queue);
        }
        return channels;
    }

    private static JsonObject ExchangeChannelOf(Type message)
    {
        var bound = BusTopology.BoundQueues(message).Select(q => q.Name).ToList();
        var publisher = BusTopology.Publishers[message];
        var who = BusTopology.Scheduled.Contains(message)
            ? $"Published by the {publisher.Name} for itself at a due time; no one else should publish it."
            : $"Published by the {publisher.Name}.";
        var readers = bound.Count == 0
            ? "No platform queue is bound to it: to receive it, bind a queue of your own."
            : $"Bound to {string.Join(", ", bound)}; to receive it too, bind a queue of your own.";
        return new JsonObject
        {
            ["address"] = BusTopology.Exchange(message),
            ["title"] = $"{message.Name} exchange",
            ["description"] = $"MassTransit's fanout exchange for {MessageKey(message)}. {who} {readers}",
            ["messages"] = new JsonObject { [message.Name] = Ref($"#/components/messages/{MessageKey(message)}") },
            ["bindings"] = new JsonObject
            {
                ["amqp"] = new JsonObject
                {
                    ["is"] = "routingKey",
                    ["exchange"] = new JsonObject { ["name"] = BusTopology.Exchange(message), ["type"] = "fanout", ["durable"] = true, ["autoDelete"] = false },
                    ["bindingVersion"] = AmqpBindingVersion,
                },
            },
        };
    }

    private static JsonObject QueueChannelOf(QueueInfo queue)
    {
        var how = queue.Bound
            ? $"Bound, through a fanout exchange of the same name, to the exchange of {string.Join(", ", queue.Messages.Select(MessageKey))}."
            : "Bound to no message exchange: a sender sends to it by name (to the fanout exchange of the same name, or to the default exchange with the queue's name as routing key).";
        var channel = new JsonObject
        {
            ["address"] = queue.Name,
            ["title"] = $"{queue.Name} queue",
            ["description"] = $"Read by the {queue.Reader.Name}. {queue.Description} {how} A message it cannot take moves to {queue.Name}_error.",
            ["messages"] = new JsonObject(queue.Messages.Select(m => Entry(m.Name, Ref($"#/components/messages/{MessageKey(m)}")))),
            ["bindings"] = new JsonObject
            {
                ["amqp"] = new JsonObject
                {
                    ["is"] = "queue",
                    ["queue"] = new JsonObject { ["name"] = queue.Name, ["durable"] = true, ["exclusive"] = false, ["autoDelete"] = false },
                    ["bindingVersion"] = AmqpBindingVersion,
                },
            },
        };
        if (queue.Name.Contains("{providerId}", StringComparison.Ordinal))
        {
            channel["parameters"] = new JsonObject
            {
                ["providerId"] = new JsonObject { ["description"] = "The provider's id as registered with RepairDispatch: 1 to 64 letters, digits, '.', '_' or '-'." },
            };
        }
        return channel;
    }

    private static JsonObject Operations()
    {
        var operations = new JsonObject();
        foreach (var (message, publisher) in BusTopology.Publishers.OrderBy(p => MessageKey(p.Key), StringComparer.Ordinal))
        {
            var channel = ExchangeChannel(message);
            operations[$"{publisher.Id}.publishes.{MessageKey(message)}"] = Operation("send", channel, publisher,
                $"The {publisher.Name} publishes {message.Name}", [$"#/channels/{channel}/messages/{message.Name}"]);
        }
        foreach (var send in BusTopology.Sends)
        {
            var channel = QueueChannel(send.Queue);
            operations[$"{send.Sender.Id}.sends.{MessageKey(send.Message)}"] = Operation("send", channel, send.Sender,
                $"The {send.Sender.Name} sends {send.Message.Name} to {send.Queue.Name}", [$"#/channels/{channel}/messages/{send.Message.Name}"]);
        }
        foreach (var queue in BusTopology.Queues)
        {
            var channel = QueueChannel(queue);
            operations[$"{queue.Reader.Id}.receives.{channel}"] = Operation("receive", channel, queue.Reader,
                $"The {queue.Reader.Name} receives from {queue.Name}", [.. queue.Messages.Select(m => $"#/channels/{channel}/messages/{m.Name}")]);
        }
        return operations;
    }

    private static JsonObject Operation(string action, string channel, Party party, string title, IEnumerable<string> messages) => new()
    {
        ["action"] = action,
        ["channel"] = Ref($"#/channels/{channel}"),
        ["title"] = title,
        ["description"] = party.Description,
        ["tags"] = new JsonArray(new JsonObject { ["name"] = party.Id, ["description"] = party.Name }),
        ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)Ref(m))]),
    };

    private static JsonObject Message(Type message)
    {
        var schema = JsonNode.Parse(SchemaGenerator.Generate(message))!;
        var description = (string)schema["description"]!;
        if (BusTopology.Unused.TryGetValue(message, out var why))
        {
            description = $"{description} {why}";
        }
        return new JsonObject
        {
            ["name"] = message.Name,
            ["title"] = message.Name,
            ["summary"] = description,
            ["contentType"] = ExampleEnvelopes.ContentType,
            ["payload"] = new JsonObject
            {
                ["schemaFormat"] = SchemaFormat,
                ["schema"] = new JsonObject
                {
                    ["allOf"] = new JsonArray(
                        Ref("#/components/schemas/Envelope"),
                        new JsonObject
                        {
                            ["properties"] = new JsonObject
                            {
                                ["messageType"] = new JsonObject { ["contains"] = new JsonObject { ["const"] = SchemaGenerator.MessageUrn(message) } },
                                ["message"] = Ref(SchemasFromDocument + SchemaGenerator.RelativePath(message).Replace('\\', '/')),
                            },
                        }),
                },
            },
            ["examples"] = new JsonArray(new JsonObject
            {
                ["name"] = message.Name,
                ["summary"] = $"docs/integrating/examples/{ExampleEnvelopes.RelativePath(message).Replace('\\', '/')}",
                ["payload"] = JsonNode.Parse(ExampleEnvelopes.Generate(message)),
            }),
        };
    }

    /// <summary>MassTransit's JSON envelope: what the platform needs of it, and what else it may carry.</summary>
    private static JsonObject Envelope()
    {
        static JsonObject Field(string type, string? format, string description)
        {
            var field = new JsonObject { ["type"] = type, ["description"] = description };
            if (format is not null)
            {
                field["format"] = format;
            }
            return field;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"MassTransit's JSON envelope ({ExampleEnvelopes.ContentType}); the contract's record is its `message`.",
            ["required"] = new JsonArray("messageId", "messageType", "message"),
            ["properties"] = new JsonObject
            {
                ["messageId"] = Field("string", "uuid", "A new GUID for each message, the same one when the same message is sent again: each service's inbox records it and drops a message whose id it has seen."),
                ["messageType"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string" },
                    ["minItems"] = 1,
                    ["description"] = "The message's type as urn:message:<namespace>:<name>, the $id of its schema; a queue takes only the types its reader consumes.",
                },
                ["message"] = Field("object", null, "The contract's record, as its JSON Schema describes it."),
                ["correlationId"] = Field("string", "uuid", "Optional: ties the message to a flow; carried into the events and messages it causes."),
                ["conversationId"] = Field("string", "uuid", "Optional: MassTransit's conversation; used as the flow's id when there is no correlationId."),
                ["initiatorId"] = Field("string", "uuid", "Optional: the id of the message whose handling sent this one (the platform sets it)."),
                ["requestId"] = Field("string", "uuid", "Optional; the platform answers no requests on the bus."),
                ["sourceAddress"] = Field("string", "uri", "Optional: the sender's endpoint."),
                ["destinationAddress"] = Field("string", "uri", "Optional: the exchange or queue it was sent to."),
                ["responseAddress"] = Field("string", "uri", "Optional: where MassTransit sends a fault when there is no faultAddress; the platform sends no responses."),
                ["faultAddress"] = Field("string", "uri", "Optional: where MassTransit sends Fault<T> when a consumer fails on the message (README.md, \"What a bad message gets\")."),
                ["sentTime"] = Field("string", "date-time", "Optional: when it was sent."),
                ["expirationTime"] = Field("string", "date-time", "Optional; leave it out: an expired message is dropped unread."),
                ["headers"] = Field("object", null, "Optional: further headers (the platform adds Platform-Causation-Id)."),
                ["host"] = Field("object", null, "Optional: MassTransit's description of the sending process."),
            },
        };
    }

    private static string ExchangeChannel(Type message) => MessageKey(message);

    private static string QueueChannel(QueueInfo queue) => queue.Name.Replace("-{providerId}", "", StringComparison.Ordinal);

    private static JsonObject Ref(string target) => new() { ["$ref"] = target };

    private static KeyValuePair<string, JsonNode?> Entry(string key, JsonNode value) => new(key, value);
}
