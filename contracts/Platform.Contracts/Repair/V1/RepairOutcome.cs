using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>How a repair job ended at the provider.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RepairOutcome>))]
public enum RepairOutcome
{
    /// <summary>The item was repaired.</summary>
    Repaired,

    /// <summary>The item was replaced.</summary>
    Replaced,

    /// <summary>The item cannot be repaired.</summary>
    Unrepairable,
}
