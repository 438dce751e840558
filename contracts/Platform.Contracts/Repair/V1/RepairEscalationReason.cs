using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>Why a repair job was escalated to the platform.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RepairEscalationReason>))]
public enum RepairEscalationReason
{
    /// <summary>The job reached the maximum number of dispatch attempts.</summary>
    AttemptsExhausted,

    /// <summary>No provider that has not been tried serves the region and category with capacity to spare.</summary>
    NoProviderAvailable,

    /// <summary>A mailed-in device was received and no progress was reported within the feedback period.</summary>
    DeviceFeedbackOverdue,
}
