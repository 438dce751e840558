using Warranty.Domain;

namespace Warranty.Service;

/// <summary>
/// Checks a request body field by field before anything is decided, so that a bad request is answered with
/// a 400 naming every field that is wrong, never with a refusal from the domain or a 500.
/// </summary>
public sealed class Validation
{
    public const int MaxText = 2000;
    public const int MaxLinks = 20;

    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public IResult Problem() => Results.ValidationProblem(errors);

    public void Fail(string field, string message) => errors.TryAdd(field, [message]);

    /// <summary>Required free text; returns it trimmed, or "" after recording why it is unusable.</summary>
    public string Text(string field, string? value, int maxLength = MaxText)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(field, $"{field} is required.");
            return "";
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Fail(field, $"{field} is longer than {maxLength} characters.");
        }
        return trimmed;
    }

    /// <summary>A required enum member by its name; numbers are refused, since they would read as names that do not exist.</summary>
    public TEnum Name<TEnum>(string field, string? value) where TEnum : struct, Enum
    {
        if (!string.IsNullOrWhiteSpace(value) && value.All(char.IsAsciiLetter) && Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed))
        {
            return parsed;
        }
        Fail(field, $"{field} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        return default;
    }

    /// <summary>Evidence links: absent means none; each must be an absolute http(s) address.</summary>
    public IReadOnlyList<string> Links(string field, IReadOnlyList<string?>? values)
    {
        if (values is null)
        {
            return [];
        }
        if (values.Count > MaxLinks)
        {
            Fail(field, $"{field} has more than {MaxLinks} links.");
            return [];
        }
        var links = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            if (IsLink(values[i]))
            {
                links.Add(values[i]!);
            }
            else
            {
                Fail($"{field}[{i}]", $"{field}[{i}] must be an absolute http or https address.");
            }
        }
        return links;
    }

    /// <summary>The buyer's contact as a claim gives it: each part optional (blank is absent), the phone by <see cref="BuyerContact.PhoneRule"/>.</summary>
    public BuyerContact? Contact(string? phone, string? address)
    {
        var (contact, problems) = ContactOf(phone, address);
        foreach (var (field, message) in problems)
        {
            Fail(field, message);
        }
        return contact;
    }

    /// <summary>The contact and what is wrong with it, by field; the HTTP and message filings share the rule.</summary>
    public static (BuyerContact? Contact, IReadOnlyList<(string Field, string Message)> Problems) ContactOf(string? phone, string? address)
    {
        var problems = new List<(string, string)>();
        var number = string.IsNullOrWhiteSpace(phone) ? null : BuyerContact.NormalisePhone(phone);
        if (!string.IsNullOrWhiteSpace(phone) && number is null)
        {
            problems.Add(("buyerPhone", $"buyerPhone must be {BuyerContact.PhoneRule}."));
        }
        var place = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        if (place is { Length: > BuyerContact.MaxAddressLength })
        {
            problems.Add(("serviceAddress", $"serviceAddress is longer than {BuyerContact.MaxAddressLength} characters."));
        }
        return (BuyerContact.Of(number, place), problems);
    }

    public static bool IsLink(string? value) =>
        value is { Length: <= MaxText } && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
