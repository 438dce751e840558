using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>Who pays the shipping of an approved claim.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShippingPayer>))]
public enum ShippingPayer
{
    /// <summary>The answering merchant.</summary>
    Merchant,

    /// <summary>The answering brand.</summary>
    Brand,

    /// <summary>The platform (the extended-warranty programme).</summary>
    Platform,

    /// <summary>The buyer, when the service is given outside warranty.</summary>
    Buyer,
}
