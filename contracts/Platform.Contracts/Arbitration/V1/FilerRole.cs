using System.Text.Json.Serialization;

namespace Platform.Contracts.Arbitration.V1;

/// <summary>Who filed an appeal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FilerRole>))]
public enum FilerRole
{
    /// <summary>The buyer, for themselves.</summary>
    Buyer,

    /// <summary>Platform customer service (官方客服), on the buyer's behalf.</summary>
    CustomerService,
}
