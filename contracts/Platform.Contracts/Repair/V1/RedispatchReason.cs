using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>Why a repair job moved to another provider.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RedispatchReason>))]
public enum RedispatchReason
{
    /// <summary>The provider did not contact the buyer before the callback deadline.</summary>
    CallbackSlaBreached,

    /// <summary>The provider declined the job.</summary>
    ProviderDeclined,
}
