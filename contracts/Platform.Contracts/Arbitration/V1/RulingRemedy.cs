using System.Text.Json.Serialization;

namespace Platform.Contracts.Arbitration.V1;

/// <summary>What a ruling in the buyer's favour orders.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RulingRemedy>))]
public enum RulingRemedy
{
    /// <summary>Refund the buyer; the amount is in the ruling.</summary>
    Refund,

    /// <summary>Replace the item.</summary>
    Replacement,

    /// <summary>Repair the item at the platform's cost; the RepairDispatch service opens or continues a repair job.</summary>
    RepairAtPlatformCost,

    /// <summary>Reopen the line's after-sales entry (售后入口).</summary>
    ReopenEntry,

    /// <summary>Pay the buyer compensation; the amount is in the ruling.</summary>
    Compensation,
}
