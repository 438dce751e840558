namespace Platform.ServiceDefaults.OpenApi;

/// <summary>
/// A request's string that takes the name of one of <paramref name="enumType"/>'s members: the endpoint reads it
/// as text, to answer a bad one with a 400 naming the field, and the OpenAPI documents list the names as its enum.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EnumNamesAttribute(Type enumType) : Attribute
{
    public IReadOnlyList<string> Names { get; } = Enum.GetNames(enumType);
}
