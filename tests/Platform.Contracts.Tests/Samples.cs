using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Contracts.Tests;

/// <summary>
/// Builds a contract instance with every property set, optional ones included, to a value other
/// than its default, so a field the wire format loses cannot go unnoticed.
/// </summary>
internal static class Samples
{
    public static object Create(Type type, string name = "")
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Create(underlying, name);
        }
        if (type.IsEnum)
        {
            // The last member: never the zero a missing field would silently become.
            return Enum.GetValues(type).Cast<object>().Last();
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var elementType = type.GetGenericArguments()[0];
            var items = Array.CreateInstance(elementType, 2);
            items.SetValue(Create(elementType, $"{name}[0]"), 0);
            items.SetValue(Create(elementType, $"{name}[1]"), 1);
            return items;
        }
        return type switch
        {
            _ when type == typeof(string) => $"{name}-sample",
            _ when type == typeof(Guid) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(name))[..16]),
            _ when type == typeof(int) => 3,
            // A trailing zero, so a writer that drops the scale shows up.
            _ when type == typeof(decimal) => 1234.50m,
            _ when type == typeof(bool) => true,
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2024, 3, 8, 16, 0, 0, 123, TimeSpan.Zero),
            _ when type == typeof(DateOnly) => new DateOnly(2024, 3, 9),
            _ when type == typeof(Uri) => new Uri($"https://evidence.example.com/{Uri.EscapeDataString(name)}"),
            _ when ContractCatalog.Records.Contains(type) => CreateRecord(type, name),
            _ => throw new NotSupportedException($"No sample for {type} ({name}); add one, or use a type the conventions allow."),
        };
    }

    private static object CreateRecord(Type type, string name)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in ContractCatalog.Properties(type))
        {
            property.SetValue(instance, Create(property.PropertyType, $"{name}.{property.Name}".TrimStart('.')));
        }
        return instance;
    }
}
