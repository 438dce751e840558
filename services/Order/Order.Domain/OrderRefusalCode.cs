using System.Text.Json.Serialization;

namespace Order.Domain;

/// <summary>Why the order decider refuses a command: the <c>code</c> of its <see cref="Platform.Domain.Refusal"/>.</summary>
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
