using System.Text.Json.Serialization;

namespace Platform.Contracts.Payments.V1;

/// <summary>The decision of the platform's that moves the money.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentReason>))]
public enum PaymentReason
{
    /// <summary>The merchant took back a returned item (三包 退货): the line's price goes back to the buyer.</summary>
    ReturnAccepted,

    /// <summary>An arbitrator's ruling, or a default ruling, ordered a refund: the line's price goes back to the buyer.</summary>
    RulingRefund,

    /// <summary>A ruling awarded the buyer compensation of an amount it named.</summary>
    RulingCompensation,

    /// <summary>An extended warranty (延保) was cancelled with a refund.</summary>
    ExtendedWarrantyCancelled,
}
