using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>How a claim ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimResolution>))]
public enum ClaimResolution
{
    /// <summary>The repair provider repaired the item.</summary>
    Repaired,

    /// <summary>The repair provider replaced the item.</summary>
    Replaced,

    /// <summary>The repair provider found the item unrepairable.</summary>
    Unrepairable,

    /// <summary>The merchant accepted the claim, or let the response deadline pass, and gives the remedy granted.</summary>
    AcceptedByMerchant,

    /// <summary>An arbitration ruling went in the buyer's favour.</summary>
    RuledForBuyer,

    /// <summary>An arbitration ruling went in the respondent's favour.</summary>
    RuledForRespondent,

    /// <summary>The trade system refunded the whole line while the claim was open: nothing is left to serve.</summary>
    LineRefunded,
}
