using System.Collections.Concurrent;

namespace Platform.EventSourcing;

/// <summary>
/// Maps stored type names to CLR types. Events are stored under the name given here, not the CLR
/// name, so renaming or moving a class does not orphan what is already in the store.
/// </summary>
public sealed class MessageTypeRegistry
{
    private readonly ConcurrentDictionary<string, Type> byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> byType = new();

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

    /// <summary>
    /// Registers every concrete type deriving from <typeparamref name="TBase"/> in its assembly under
    /// its full name: for versioned contracts, whose namespace is already the stable part.
    /// </summary>
    public MessageTypeRegistry RegisterAllOf<TBase>()
    {
        foreach (var type in typeof(TBase).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsClass: true } && typeof(TBase).IsAssignableFrom(t)))
        {
            Register(type, type.FullName!);
        }
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

public sealed class UnknownMessageTypeException(string message) : Exception(message);
