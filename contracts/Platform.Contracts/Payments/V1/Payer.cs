using System.Text.Json.Serialization;

namespace Platform.Contracts.Payments.V1;

/// <summary>Whose money the rules say it is; the trade system collects it from them as its own terms say.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Payer>))]
public enum Payer
{
    /// <summary>The order's merchant: a return it took back, or a case it lost.</summary>
    Merchant,

    /// <summary>The platform: a case its repair operations lost (兜底).</summary>
    Platform,

    /// <summary>The extended-warranty programme that sold the plan.</summary>
    ExtendedWarrantyPlan,
}
