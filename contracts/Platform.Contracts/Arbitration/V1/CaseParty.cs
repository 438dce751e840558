using System.Text.Json.Serialization;

namespace Platform.Contracts.Arbitration.V1;

/// <summary>A side of an arbitration case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseParty>))]
public enum CaseParty
{
    /// <summary>The buyer.</summary>
    Buyer,

    /// <summary>The respondent: the merchant or the platform's repair operations.</summary>
    Respondent,
}
