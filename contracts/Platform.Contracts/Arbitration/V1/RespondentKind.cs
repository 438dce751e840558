using System.Text.Json.Serialization;

namespace Platform.Contracts.Arbitration.V1;

/// <summary>Who answers an arbitration case against the buyer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RespondentKind>))]
public enum RespondentKind
{
    /// <summary>The order's merchant.</summary>
    Merchant,

    /// <summary>The platform's repair operations, for an escalated repair job.</summary>
    PlatformRepairOperations,
}
