using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>What a claim asks for or is granted, from the strongest to the weakest.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Remedy>))]
public enum Remedy
{
    /// <summary>Return the item for a refund.</summary>
    Return,

    /// <summary>Exchange the item for a new one.</summary>
    Replacement,

    /// <summary>Repair the item.</summary>
    Repair,
}
