using System.Text.Json.Serialization;

namespace Platform.Contracts.Warranty.V1;

/// <summary>Who answers an approved claim.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResponsibleParty>))]
public enum ResponsibleParty
{
    /// <summary>The merchant that sold the item.</summary>
    Merchant,

    /// <summary>The brand, through repair providers.</summary>
    Brand,

    /// <summary>The platform's extended-warranty programme, through repair providers.</summary>
    ExtendedWarrantyProgramme,
}
