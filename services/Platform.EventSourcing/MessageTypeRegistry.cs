using System.Collections.Concurrent;
using System.Text.Json;
using Marten.Services.Json.Transformations.SystemTextJson;

namespace Platform.EventSourcing;

/// <summary>
/// Maps stored type names to CLR types. Events are stored under the name given here, not the CLR
/// name, so renaming or moving a class does not orphan what is already in the store.
/// </summary>
public sealed class MessageTypeRegistry
{
    private readonly ConcurrentDictionary<string, Type> byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> byType = new();
    private readonly ConcurrentBag<EventUpcast> upcasts = [];

    public MessageTypeRegistry Register<T>(string name) => Register(typeof(T), name);

    public MessageTypeRegistry Register(Type type, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (byName.TryGetValue(name, out var existing) && existing != type)
        {
            throw new InvalidOperationException($"Type name '{name}' is already registered for {existing.FullName}; cannot register {type.FullName}.");
        }
        if (byType.TryGetValue(type, out var existingName) && existingName != name)
        {
            throw new InvalidOperationException($"{type.FullName} is already registered as '{existingName}'; cannot register it as '{name}'.");
        }
        byName[name] = type;
        byType[type] = name;
        return this;
    }

    /// <summary>Registers every public record type of the namespaces starting with <paramref name="namespacePrefix"/>.</summary>
    public MessageTypeRegistry RegisterNamespace(System.Reflection.Assembly assembly, string namespacePrefix)
    {
        foreach (var type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } && t.Namespace?.StartsWith(namespacePrefix, StringComparison.Ordinal) == true))
        {
            Register(type, type.FullName!);
        }
        return this;
    }

    /// <summary>Every registered name and its type.</summary>
    public IEnumerable<(string Name, Type Type)> All => byName.Select(pair => (pair.Key, pair.Value));

    /// <summary>How events stored under names no type answers to any more are read now.</summary>
    public IReadOnlyList<EventUpcast> Upcasts => [.. upcasts];

    /// <summary>
    /// Reads events stored under <paramref name="storedName"/> as <typeparamref name="TEvent"/>: for a
    /// stored shape that changed (a field renamed, split or given a default). The new shape is
    /// registered under a name of its own; what was stored keeps its name and is converted as it is read.
    /// </summary>
    public MessageTypeRegistry Upcast<TEvent>(string storedName, Func<JsonElement, TEvent> upcast) where TEvent : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storedName);
        if (byName.ContainsKey(storedName))
        {
            throw new InvalidOperationException($"'{storedName}' names a registered type; an upcast reads a name no type has any more.");
        }
        upcasts.Add(new EventUpcast(typeof(TEvent), storedName, JsonTransformations.Upcast<TEvent>(document => upcast(document.RootElement))));
        return this;
    }

    public string NameOf(Type type) =>
        byType.TryGetValue(type, out var name)
            ? name
            : throw new UnknownMessageTypeException($"{type.FullName} has no registered type name; register it with MessageTypeRegistry.Register.");

    public string? TryNameOf(Type type) => byType.GetValueOrDefault(type);

    public Type TypeOf(string name) =>
        byName.TryGetValue(name, out var type)
            ? type
            : throw new UnknownMessageTypeException($"No type is registered under the name '{name}'.");
}

public sealed record EventUpcast(Type EventType, string StoredName, Marten.Services.Json.Transformations.JsonTransformation Transformation);

public sealed class UnknownMessageTypeException(string message) : Exception(message);
