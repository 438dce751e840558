using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>What is wrong with the item, as the claimant states it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>A defect in the item's quality.</summary>
    QualityFault,

    /// <summary>The item did not work when it arrived.</summary>
    DeadOnArrival,

    /// <summary>The item differs from its listing.</summary>
    NotAsDescribed,

    /// <summary>Parts or accessories are missing.</summary>
    MissingParts,

    /// <summary>The buyer damaged the item by accident; covered only by an extended warranty that includes it.</summary>
    AccidentalDamage,

    /// <summary>A defect that only shows with time in a long-discovery category (a seed that never sprouted, a hen that turns out to be a rooster).</summary>
    LongDiscoveryDefect,
}
