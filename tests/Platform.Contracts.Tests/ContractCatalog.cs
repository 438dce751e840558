using System.Reflection;
using Platform.Contracts.Orders.V1;

namespace Platform.Contracts.Tests;

/// <summary>
/// The public face of Platform.Contracts, found by reflection so that a new message is checked
/// without anyone remembering to list it.
/// </summary>
internal static class ContractCatalog
{
    public static readonly Assembly Assembly = typeof(OrderCompleted).Assembly;

    public static IReadOnlyList<Type> PublicTypes { get; } =
        [.. Assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal)];

    public static IReadOnlyList<Type> Records { get; } = [.. PublicTypes.Where(IsRecord)];

    public static IReadOnlyList<Type> Enums { get; } = [.. PublicTypes.Where(t => t.IsEnum)];

    /// <summary>
    /// Records that travel on their own. A record that is the type of another record's property
    /// (a line, a period) is a part of those messages and only appears inside their schemas.
    /// </summary>
    public static IReadOnlyList<Type> Messages { get; } =
        [.. Records.Where(r => !Records.SelectMany(PropertyTypes).Contains(r))];

    public static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>The property's type with nullable and list wrappers removed.</summary>
    public static Type ElementType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
            ? ElementType(underlying.GetGenericArguments()[0])
            : underlying;
    }

    /// <summary>"Warranty.V1" for Platform.Contracts.Warranty.V1: the schema folder and message context.</summary>
    public static string ContextOf(Type type) => type.Namespace!["Platform.Contracts.".Length..];

    // The compiler gives every record a hidden clone method; nothing else has one.
    private static bool IsRecord(Type type) =>
        type.IsClass && type.GetMethod("<Clone>$") is not null;

    private static IEnumerable<Type> PropertyTypes(Type record) =>
        Properties(record).Select(p => ElementType(p.PropertyType));
}
