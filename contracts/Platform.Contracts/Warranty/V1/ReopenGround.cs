using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>Why a closed after-sales entry was reopened.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReopenGround>))]
public enum ReopenGround
{
    /// <summary>The request falls within the three-guarantees (三包) period.</summary>
    WithinStatutoryPeriod,

    /// <summary>The request falls beyond the three-guarantees period but within the merchant commitment.</summary>
    WithinMerchantCommitment,

    /// <summary>The request concerns a long-discovery defect in a long-discovery category, within that category's window.</summary>
    LongDiscoveryDefect,

    /// <summary>An arbitrator's ruling ordered the entry reopened, whatever the periods say.</summary>
    ArbitrationRuling,
}
