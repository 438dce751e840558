using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>A promise under which a claim can be served, in the order adjudication tries them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CoverageKind>))]
public enum CoverageKind
{
    /// <summary>Return under the three guarantees (三包), answered by the merchant.</summary>
    StatutoryReturn,

    /// <summary>Replacement under the three guarantees (三包), answered by the merchant.</summary>
    StatutoryReplacement,

    /// <summary>Repair under the three guarantees (三包), answered by the brand when a national joint warranty exists, else by the merchant.</summary>
    StatutoryRepair,

    /// <summary>The brand's national joint warranty (全国联保), served through repair providers.</summary>
    NationalJointWarranty,

    /// <summary>The merchant's own quality commitment (商家承诺).</summary>
    MerchantCommitment,

    /// <summary>The extended warranty (延保) bought at checkout, served by the platform's extended-warranty programme through repair providers.</summary>
    ExtendedWarranty,
}
