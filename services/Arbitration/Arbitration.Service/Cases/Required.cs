namespace Arbitration.Service.Cases;

/// <summary>Fields a message must carry: its schema requires them, but nothing stops a sender writing null or "".</summary>
public static class Required
{
    /// <summary>A readable reason naming the first missing field, else null.</summary>
    public static string? Missing(params (string Name, object? Value)[] fields) =>
        fields.FirstOrDefault(f => f.Value is null || (f.Value is string s && string.IsNullOrWhiteSpace(s)) || (f.Value is Guid g && g == Guid.Empty)) is { Name: { } name }
            ? $"{name} is missing"
            : null;

    /// <summary>
    /// The line's facts, which fill in a case: required of a decision that may be appealed. One that may not opens no
    /// case and may name none (a NotBuyer answer does not), yet is kept, so that its appeal is answered
    /// AppealNotAllowed rather than not found.
    /// </summary>
    public static string? MissingLineFacts(bool appealMayHelp, string merchantId, string shippingRegion, string sku, string title, string category, string brand) =>
        appealMayHelp
            ? Missing(("merchantId", merchantId), ("shippingRegion", shippingRegion), ("sku", sku), ("title", title), ("category", category), ("brand", brand))
            : null;
}
