using Platform.EventSourcing;
using RepairDispatch.Domain;

namespace RepairDispatch.Service;

/// <summary>
/// The stored names of the domain's events. They are written in the store forever: never change one;
/// a renamed class keeps its old name here.
/// </summary>
public static class EventTypes
{
    public static IReadOnlyDictionary<Type, string> All { get; } = new Dictionary<Type, string>
    {
        [typeof(RepairJobEvent.RepairJobOpened)] = "repairdispatch.repair-job-opened",
        [typeof(RepairJobEvent.RepairJobDispatched)] = "repairdispatch.repair-job-dispatched",
        [typeof(RepairJobEvent.RepairJobAccepted)] = "repairdispatch.repair-job-accepted",
        [typeof(RepairJobEvent.RepairJobDeclined)] = "repairdispatch.repair-job-declined",
        [typeof(RepairJobEvent.CustomerContacted)] = "repairdispatch.customer-contacted",
        [typeof(RepairJobEvent.ProviderCallbackSlaBreached)] = "repairdispatch.provider-callback-sla-breached",
        [typeof(RepairJobEvent.DeviceReceived)] = "repairdispatch.device-received",
        [typeof(RepairJobEvent.RepairProgressReported)] = "repairdispatch.repair-progress-reported",
        [typeof(RepairJobEvent.RepairJobCompleted)] = "repairdispatch.repair-job-completed",
        [typeof(RepairJobEvent.RepairJobEscalated)] = "repairdispatch.repair-job-escalated",
        [typeof(RepairJobEvent.UnauthorisedProviderActionRecorded)] = "repairdispatch.unauthorised-provider-action-recorded",
        [typeof(ProviderEvent.ProviderRegistered)] = "repairdispatch.provider-registered",
        [typeof(ProviderEvent.ProviderUpdated)] = "repairdispatch.provider-updated",
        [typeof(ProviderEvent.ProviderCallbackBreachRecorded)] = "repairdispatch.provider-callback-breach-recorded",
        [typeof(ProviderEvent.ProviderSuspended)] = "repairdispatch.provider-suspended",
        [typeof(ProviderEvent.ProviderReactivated)] = "repairdispatch.provider-reactivated",
    };

    public static void Register(MessageTypeRegistry types)
    {
        foreach (var (type, name) in All)
        {
            types.Register(type, name);
        }
    }
}
