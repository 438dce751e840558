using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Orders.V1;
using Platform.Contracts.Repair.V1;
using Platform.Contracts.Warranty.V1;

namespace Platform.Simulator;

/// <summary>
/// What the services publish about this run's orders, on a queue of the run's own: the live counts, and the
/// CaseOpened that tells a respondent it has a case to answer. The queue goes when the run ends; under faults
/// it is durable instead, so that a broker restart keeps it and its bindings, and it is the chaos run's
/// virtual host that goes. A message seen again under the same MessageId (a relay that published twice, or
/// the saboteur's repeat) is counted once.
/// </summary>
public static class Newsfeed
{
    public static async Task Subscribe(World world, Tribunal tribunal, Saboteur? saboteur = null)
    {
        var prefix = $"sim-{world.Plan.RunId}-";
        bool Ours(string orderId) => orderId.StartsWith(prefix, StringComparison.Ordinal);
        var progress = world.Progress;
        var seen = new ConcurrentDictionary<Guid, byte>();
        var handle = world.Bus.ConnectReceiveEndpoint($"simulator-{world.Plan.RunId}-newsfeed", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = saboteur is null;
                rabbit.Durable = saboteur is not null;
            }
            // consumed: whether a service takes the message (and so records it in its inbox); only then is it sent again.
            void On<T>(Func<T, string> orderId, Action<T> act, Func<T, bool>? consumed = null) where T : class =>
                e.Handler<T>(context =>
                {
                    var subject = orderId(context.Message);
                    if (Ours(subject) && (context.MessageId is not { } id || seen.TryAdd(id, 0)))
                    {
                        act(context.Message);
                        if (context.MessageId is { } messageId && consumed?.Invoke(context.Message) == true)
                        {
                            saboteur?.MaybeRepeat(context.Message, typeof(T), messageId, subject);
                        }
                    }
                    return Task.CompletedTask;
                });
            On<OrderCompleted>(m => m.OrderId, _ => progress.OrderCompleted(), _ => true);
            On<WarrantyActivated>(m => m.OrderId, _ => progress.WarrantyActivated());
            On<ClaimRejected>(m => m.OrderId, _ => progress.ClaimSettled(), _ => true);
            On<ClaimResolved>(m => m.OrderId, _ => progress.ClaimSettled());
            On<ProviderCallbackSlaBreached>(m => m.OrderId, _ => progress.Breach());
            On<RepairJobEscalated>(m => m.OrderId, _ => progress.Escalation(), _ => true);
            On<RulingIssued>(m => m.OrderId, _ => progress.Ruling(), _ => true);
            On<CaseOpened>(m => m.OrderId, m =>
            {
                progress.CaseOpened();
                tribunal.Opened(m);
            });
            if (saboteur is not null)
            {
                // Seen only to be sent again: each is consumed by a service, which must apply it once.
                // Only a repair the brand or the extended-warranty programme answers is RepairDispatch's to take.
                On<ClaimApproved>(m => m.OrderId, _ => { },
                    m => m is { RemedyGranted: Remedy.Repair, AnsweredBy: ResponsibleParty.Brand or ResponsibleParty.ExtendedWarrantyProgramme });
                On<ClaimEscalated>(m => m.OrderId, _ => { }, _ => true);
                On<RepairJobCompleted>(m => m.OrderId, _ => { }, _ => true);
            }
        });
        await handle.Ready;
    }
}
