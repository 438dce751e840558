using System.Text.Json.Serialization;

namespace Arbitration.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ActorRole>))]
public enum ActorRole
{
    Buyer,
    Merchant,
    /// <summary>The platform's repair operations, answering for repairs it guarantees (兜底).</summary>
    PlatformRepairOperations,
    Arbitrator,
}

/// <summary>Who is acting, as the service authenticated them.</summary>
public sealed record Actor(ActorRole Role, string Id);

/// <summary>The party that answers a case.</summary>
/// <param name="MerchantId">Set for a merchant, who answers in its own name. The platform's repair
/// operations answer as a team, so any member of the role may act for them.</param>
public sealed record Respondent(ActorRole Role, string? MerchantId)
{
    public bool IsActedForBy(Actor actor) => actor.Role == Role && (MerchantId is null || actor.Id == MerchantId);
}

[JsonConverter(typeof(JsonStringEnumConverter<CaseSide>))]
public enum CaseSide
{
    Buyer,
    Respondent,
}
