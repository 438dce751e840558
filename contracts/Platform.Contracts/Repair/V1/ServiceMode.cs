using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>How the repair is carried out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServiceMode>))]
public enum ServiceMode
{
    /// <summary>The provider visits the buyer.</summary>
    OnSite,

    /// <summary>The buyer's device is collected or mailed to the provider.</summary>
    MailIn,
}
