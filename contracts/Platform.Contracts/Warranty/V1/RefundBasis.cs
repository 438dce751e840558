using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>The rule that set an extended-warranty cancellation refund.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefundBasis>))]
public enum RefundBasis
{
    /// <summary>Cancelled before the coverage started and with no claim on it: the full price.</summary>
    FullBeforeCoverageStart,

    /// <summary>Cancelled after the coverage started with no paid repair under it: the share of days remaining.</summary>
    ProRataRemainingDays,

    /// <summary>A repair was paid under it: nothing.</summary>
    NoneAfterPaidRepair,

    /// <summary>The line was refunded: the full price.</summary>
    FullForRefundedLine,
}
