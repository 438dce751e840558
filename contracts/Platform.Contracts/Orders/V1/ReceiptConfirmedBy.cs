using System.Text.Json.Serialization;

namespace Platform.Contracts.Orders.V1;

/// <summary>Who confirmed receipt of an order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReceiptConfirmedBy>))]
public enum ReceiptConfirmedBy
{
    /// <summary>The buyer confirmed receipt in the trade system.</summary>
    Buyer,

    /// <summary>The Order service confirmed it automatically when the confirmation period after shipping ran out.</summary>
    System,
}
