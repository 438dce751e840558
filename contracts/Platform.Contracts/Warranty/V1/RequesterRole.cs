using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>Who acts on a buyer's order line.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RequesterRole>))]
public enum RequesterRole
{
    /// <summary>The buyer, for themselves.</summary>
    Buyer,

    /// <summary>Platform customer service (官方客服), on the buyer's behalf.</summary>
    CustomerService,
}
