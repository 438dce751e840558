using System.Text.Json.Serialization;

namespace Platform.Contracts.Repair.V1;

/// <summary>Why a provider declines a job: the published list (docs/integrating/README.md, "Reason codes").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeclineReasonCode>))]
public enum DeclineReasonCode
{
    /// <summary>The service address is outside the area the provider covers.</summary>
    OutOfServiceArea,

    /// <summary>The provider has no technician free before the callback deadline.</summary>
    NoCapacity,

    /// <summary>The provider is not authorised to repair this brand or product.</summary>
    BrandNotServiced,

    /// <summary>The parts the repair needs cannot be had.</summary>
    PartsUnavailable,

    /// <summary>The fault is beyond what the provider can repair.</summary>
    FaultOutsideExpertise,

    /// <summary>None of the above; the note must say why.</summary>
    Other,
}
