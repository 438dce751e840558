using System.Text.Json.Serialization;

namespace Order.Domain;

public abstract record OrderDecision
{
    /// <summary>Append these events. None means the command changed nothing (a duplicate, or no effect).</summary>
    public sealed record Accepted(IReadOnlyList<OrderEvent> Events) : OrderDecision;

    /// <summary>Nothing is appended; the reason is for an operator.</summary>
    /// <param name="RetryAt">Set when the command only came too early: deliver it again at that instant.</param>
    public sealed record Refused(OrderRefusalCode Code, string Reason, DateTimeOffset? RetryAt = null) : OrderDecision;
}

[JsonConverter(typeof(JsonStringEnumConverter<OrderRefusalCode>))]
public enum OrderRefusalCode
{
    MissingField,
    InvalidAmount,
    InvalidQuantity,
    InvalidWarrantyMonths,
    InvalidExtendedWarrantyPlan,
    DuplicateLineId,
    UnknownLine,
    RefundExceedsAmountPaid,
    ConflictingOrderPlaced,
    ConflictingTradeEvent,
    AutoConfirmationNotDue,
}
