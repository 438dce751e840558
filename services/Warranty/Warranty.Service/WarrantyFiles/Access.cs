using Platform.ServiceDefaults;
using Warranty.Domain;

namespace Warranty.Service;

/// <summary>Who may see a warranty file and its claims (docs/domain.md "Who may do what").</summary>
public static class Access
{
    /// <summary>
    /// Roles that read warranty files and claims at all: the parties of an order, customer service, and the
    /// arbitrators who rule on its claims. Providers see their jobs and operators their queues, never a file.
    /// </summary>
    public static bool MayEverRead(Caller caller) =>
        caller.Is(PlatformRoles.Buyer) || caller.Is(PlatformRoles.Merchant)
        || caller.Is(PlatformRoles.CustomerService) || caller.Is(PlatformRoles.Arbitrator);

    public static bool MayRead(Caller caller, WarrantyFile.Activated file) =>
        caller.Is(PlatformRoles.CustomerService) || caller.Is(PlatformRoles.Arbitrator)
        || caller.IsParty(PlatformRoles.Buyer, file.BuyerId) || caller.IsParty(PlatformRoles.Merchant, file.MerchantId);

    public const string ReadersText = "Only the order's buyer and merchant, customer service and arbitrators may read warranty files and claims.";
}
