namespace Arbitration.Service.Cases;

/// <summary>Fields a message must carry: its schema requires them, but nothing stops a sender writing null or "".</summary>
public static class Required
{
    /// <summary>A readable reason naming the first missing field, else null.</summary>
    public static string? Missing(params (string Name, object? Value)[] fields) =>
        fields.FirstOrDefault(f => f.Value is null || (f.Value is string s && string.IsNullOrWhiteSpace(s)) || (f.Value is Guid g && g == Guid.Empty)) is { Name: { } name }
            ? $"{name} is missing"
            : null;
}
