using Arbitration.Domain;
using Platform.ServiceDefaults;

namespace Arbitration.Service.Cases;

/// <summary>Who may see and act on a case ("Who may do what" in docs/domain.md).</summary>
public static class CaseAccess
{
    /// <summary>
    /// The caller as the decider knows parties. Operators act for the platform's repair operations;
    /// customer service and providers never take part in a case, so they have no actor.
    /// </summary>
    public static Actor? ActorOf(Caller caller) => caller.Role switch
    {
        PlatformRoles.Buyer => new Actor(ActorRole.Buyer, caller.SubjectId),
        PlatformRoles.Merchant => new Actor(ActorRole.Merchant, caller.SubjectId),
        PlatformRoles.Operator => new Actor(ActorRole.PlatformRepairOperations, caller.SubjectId),
        PlatformRoles.Arbitrator => new Actor(ActorRole.Arbitrator, caller.SubjectId),
        _ => null,
    };

    /// <summary>Providers repair; they are never a party to a case nor its judge.</summary>
    public static bool MayEverRead(Caller caller) => !caller.Is(PlatformRoles.Provider);

    /// <summary>Arbitrators and customer service see every case; a buyer or respondent only its own.</summary>
    public static bool MayRead(Caller caller, CaseFile file) =>
        caller.Is(PlatformRoles.Arbitrator)
        || caller.Is(PlatformRoles.CustomerService)
        || caller.IsParty(PlatformRoles.Buyer, file.BuyerId)
        || (ActorOf(caller) is { } actor && file.Respondent.IsActedForBy(actor));

    /// <summary>Only the two sides of a case submit evidence to it.</summary>
    public static bool MayEverSubmitEvidence(Caller caller) =>
        caller.Is(PlatformRoles.Buyer) || caller.Is(PlatformRoles.Merchant) || caller.Is(PlatformRoles.Operator);
}
