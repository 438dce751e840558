using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>Where a repair stands: the published list (docs/integrating/README.md, "Reason codes").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProgressCode>))]
public enum ProgressCode
{
    /// <summary>The provider is finding out what is wrong.</summary>
    Diagnosing,

    /// <summary>Parts are ordered and the repair waits for them.</summary>
    AwaitingParts,

    /// <summary>The repair is under way.</summary>
    Repairing,

    /// <summary>The repair waits for the buyer: an answer, or access to the item.</summary>
    AwaitingBuyer,

    /// <summary>The repaired item is being tested.</summary>
    Testing,

    /// <summary>The item is ready to go back to the buyer.</summary>
    ReadyToReturn,

    /// <summary>None of the above; the note must say what.</summary>
    Other,
}
