using Platform.EventSourcing;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Service;

/// <summary>
/// The stored names of the warranty file's events. They are part of the database, not of the code:
/// renaming a class must leave its name here unchanged, or the events already stored are orphaned.
/// </summary>
public static class EventTypes
{
    public static readonly IReadOnlyDictionary<Type, string> Names = new Dictionary<Type, string>
    {
        [typeof(WarrantyActivated)] = "warranty.warranty-activated",
        [typeof(WarrantyActivationRefused)] = "warranty.warranty-activation-refused",
        [typeof(LineRefunded)] = "warranty.line-refunded",
        [typeof(EntryReopened)] = "warranty.entry-reopened",
        [typeof(ReopenDenied)] = "warranty.reopen-denied",
        [typeof(ClaimApproved)] = "warranty.claim-approved",
        [typeof(ClaimRejected)] = "warranty.claim-rejected",
        [typeof(ClaimAwaitingMerchant)] = "warranty.claim-awaiting-merchant",
        [typeof(ClaimAcceptedByMerchant)] = "warranty.claim-accepted-by-merchant",
        [typeof(ClaimRefusedByMerchant)] = "warranty.claim-refused-by-merchant",
        [typeof(ClaimEscalated)] = "warranty.claim-escalated",
        [typeof(ClaimResolved)] = "warranty.claim-resolved",
        [typeof(ExtendedWarrantyCancelled)] = "warranty.extended-warranty-cancelled",
        [typeof(RefundInstructed)] = "warranty.refund-instructed",
        [typeof(PaymentConfirmed)] = "warranty.payment-confirmed",
        [typeof(PaymentFailed)] = "warranty.payment-failed",
    };

    public static void Register(MessageTypeRegistry types)
    {
        foreach (var (type, name) in Names)
        {
            types.Register(type, name);
        }
    }
}
