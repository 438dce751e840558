using Arbitration.Domain;
using Platform.EventSourcing;

namespace Arbitration.Service;

/// <summary>
/// The names the case events are stored under. They are part of the stored data: renaming a class
/// must not change them, or the streams already written could not be read back.
/// </summary>
public static class EventTypes
{
    public static readonly IReadOnlyDictionary<Type, string> Names = new Dictionary<Type, string>
    {
        [typeof(CaseEvent.CaseOpened)] = "arbitration.case-opened",
        [typeof(CaseEvent.EvidenceSubmitted)] = "arbitration.evidence-submitted",
        [typeof(CaseEvent.ArbitratorAssigned)] = "arbitration.arbitrator-assigned",
        [typeof(CaseEvent.CaseRuled)] = "arbitration.case-ruled",
        [typeof(CaseEvent.CompensationInstructed)] = "arbitration.compensation-instructed",
        [typeof(CaseEvent.PaymentConfirmed)] = "arbitration.payment-confirmed",
        [typeof(CaseEvent.PaymentFailed)] = "arbitration.payment-failed",
    };

    public static void Register(MessageTypeRegistry types)
    {
        foreach (var (type, name) in Names)
        {
            types.Register(type, name);
        }
    }
}
