using Microsoft.AspNetCore.Http;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service;

/// <summary>Checks on what callers send, before anything is decided; each failure names its field.</summary>
public static class Input
{
    // Bounds on free text and link lists: room for any honest account, none for a payload that
    // would bloat every stream read and every message sent about the case.
    public const int MaxTextLength = 4000;
    public const int MaxLinks = 20;

    /// <summary>Null when the statement and links are usable; else the 400 to answer.</summary>
    public static IResult? Evidence(string? statement, IReadOnlyList<string>? links)
    {
        if (Text(statement, "statement") is { } invalid)
        {
            return invalid;
        }
        if (links is null)
        {
            return null;
        }
        if (links.Count > MaxLinks)
        {
            return Problems.Invalid("links", $"At most {MaxLinks} links.");
        }
        for (var i = 0; i < links.Count; i++)
        {
            if (!Uri.TryCreate(links[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                return Problems.Invalid($"links[{i}]", "A link must be an absolute http or https address.");
            }
        }
        return null;
    }

    public static IResult? Text(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? Problems.Invalid(field, $"{field} is required.")
        : text.Length > MaxTextLength ? Problems.Invalid(field, $"{field} is longer than {MaxTextLength} characters.")
        : null;

    /// <summary>An enum member by its exact name; numbers and unknown names are refused.</summary>
    public static bool TryParseName<TEnum>(string? value, out TEnum parsed) where TEnum : struct, Enum
    {
        parsed = default;
        return value is not null && Enum.GetNames<TEnum>().Contains(value, StringComparer.Ordinal) && Enum.TryParse(value, out parsed);
    }

    public static string Names<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
}
