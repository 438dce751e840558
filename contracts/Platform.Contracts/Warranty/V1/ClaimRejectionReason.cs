using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>Why a claim was rejected.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimRejectionReason>))]
public enum ClaimRejectionReason
{
    /// <summary>The claim needs the merchant and the after-sales entry (售后入口) is closed; a reopen request may help.</summary>
    EntryClosed,

    /// <summary>No coverage is active on the filing day for this fault and remedy.</summary>
    OutOfWarranty,

    /// <summary>Accidental damage is covered only by an extended warranty that includes it, and the line has none.</summary>
    AccidentalDamageNotCovered,

    /// <summary>The claim is not made for the order's buyer.</summary>
    NotBuyer,

    /// <summary>The order line was refunded.</summary>
    LineRefunded,

    /// <summary>Another claim on the same line is still open; one at a time.</summary>
    ClaimAlreadyOpen,
}
