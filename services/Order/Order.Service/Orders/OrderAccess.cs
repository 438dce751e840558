using Order.Domain;
using Platform.ServiceDefaults;

namespace Order.Service;

/// <summary>Who may see an order (docs/domain.md "Who may do what").</summary>
public static class OrderAccess
{
    /// <summary>Roles that read orders at all: the order's parties, customer service and operators.</summary>
    public static bool MayEverRead(Caller caller) =>
        caller.Is(PlatformRoles.Buyer) || caller.Is(PlatformRoles.Merchant)
        || caller.Is(PlatformRoles.CustomerService) || caller.Is(PlatformRoles.Operator);

    public static bool MayRead(Caller caller, OrderPlacement placement) =>
        caller.IsParty(PlatformRoles.Buyer, placement.BuyerId)
        || caller.IsParty(PlatformRoles.Merchant, placement.MerchantId)
        || caller.Is(PlatformRoles.CustomerService)
        || caller.Is(PlatformRoles.Operator);

    public const string ReadersText = "Only the order's buyer, its merchant, customer service and operators may read orders.";
}
