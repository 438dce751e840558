using System.Text.Json.Serialization;

namespace Warranty.Domain;

/// <summary>
/// How the buyer wants to be reached about a claim, as the claim gives it; either part may be absent. It is kept
/// with the filing and handed to RepairDispatch on approval, whose contact service lets the provider reach the buyer
/// without either ever travelling in a message to a provider.
/// </summary>
/// <param name="Phone">Digits with an optional leading '+', as <see cref="NormalisePhone"/> leaves them.</param>
/// <param name="Address">Where a visit or collection takes place.</param>
public sealed record BuyerContact(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Phone,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Address)
{
    public const int MaxAddressLength = 500;

    /// <summary>The rule a phone number follows, for the answer to one that does not.</summary>
    public const string PhoneRule = "5 to 20 digits, with an optional leading '+' (spaces and hyphens are ignored)";

    /// <summary>Null when neither part is given, so a claim without contact stores nothing.</summary>
    public static BuyerContact? Of(string? phone, string? address) =>
        phone is null && address is null ? null : new BuyerContact(phone, address);

    /// <summary>The number without spaces or hyphens; null when what is left is not <see cref="PhoneRule"/>.</summary>
    public static string? NormalisePhone(string value)
    {
        var compact = value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var digits = compact.StartsWith('+') ? compact[1..] : compact;
        return digits.Length is >= 5 and <= 20 && digits.All(char.IsAsciiDigit) ? compact : null;
    }
}
