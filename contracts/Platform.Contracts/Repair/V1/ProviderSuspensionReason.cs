using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>Why a repair provider was suspended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProviderSuspensionReason>))]
public enum ProviderSuspensionReason
{
    /// <summary>The provider breached the callback deadline too often.</summary>
    RepeatedCallbackBreaches,

    /// <summary>An operator suspended the provider.</summary>
    Operator,
}
