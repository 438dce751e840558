using System.Text.Json.Serialization;

namespace Platform.Contracts.Arbitration.V1;

/// <summary>What decision a buyer appeals.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AppealSubject>))]
public enum AppealSubject
{
    /// <summary>A claim rejection.</summary>
    ClaimRejected,

    /// <summary>A denied request to reopen the after-sales entry.</summary>
    ReopenDenied,
}
