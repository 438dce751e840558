using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>Why an extended warranty was cancelled.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExtendedWarrantyCancellationReason>))]
public enum ExtendedWarrantyCancellationReason
{
    /// <summary>The buyer cancelled it.</summary>
    RequestedByBuyer,

    /// <summary>The order line it covers was refunded.</summary>
    LineRefunded,
}
