using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>Who pays for a repair job; the buyer pays nothing for shipping, parts or labour.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RepairCostBearer>))]
public enum RepairCostBearer
{
    /// <summary>The brand, under its national joint warranty or the three-guarantees repair period.</summary>
    Brand,

    /// <summary>The platform's extended-warranty programme.</summary>
    ExtendedWarrantyProgramme,

    /// <summary>The platform, under an arbitration ruling or its service guarantee (兜底).</summary>
    Platform,
}
