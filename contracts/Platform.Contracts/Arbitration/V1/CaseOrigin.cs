using System.Text.Json.Serialization;

namespace Platform.Contracts.Arbitration.V1;

/// <summary>What opened an arbitration case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseOrigin>))]
public enum CaseOrigin
{
    /// <summary>The buyer escalated a claim the merchant refused.</summary>
    ClaimEscalated,

    /// <summary>The buyer appealed a rejected claim.</summary>
    ClaimRejectionAppealed,

    /// <summary>The buyer appealed a denied request to reopen the after-sales entry.</summary>
    ReopenDenialAppealed,

    /// <summary>A repair job ran out of providers or missed its feedback period and was escalated to the platform.</summary>
    RepairJobEscalated,
}
