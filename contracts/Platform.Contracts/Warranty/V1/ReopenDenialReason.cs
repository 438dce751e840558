using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>Why a request to reopen the after-sales entry was denied.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReopenDenialReason>))]
public enum ReopenDenialReason
{
    /// <summary>The request is not made for the order's buyer.</summary>
    NotBuyer,

    /// <summary>The order line was refunded.</summary>
    LineRefunded,

    /// <summary>The entry is open; file a claim instead.</summary>
    EntryStillOpen,

    /// <summary>The request falls beyond both the three-guarantees period and the merchant commitment, and the category is not a long-discovery one.</summary>
    OutsideReopenablePeriods,

    /// <summary>The category is a long-discovery one, but its window after day d0 has passed.</summary>
    LongDiscoveryWindowPassed,

    /// <summary>The category is a long-discovery one, but the stated fault is not a long-discovery defect.</summary>
    NotLongDiscoveryDefect,
}
