using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Orders.V1;
using Platform.Contracts.Repair.V1;
using Platform.Contracts.Warranty.V1;

namespace Platform.Simulator;

/// <summary>
/// What the services publish about this run's orders, on a queue of the run's own that goes when it ends: the
/// live counts, and the CaseOpened that tells a respondent it has a case to answer.
/// </summary>
public static class Newsfeed
{
    public static async Task Subscribe(World world, Tribunal tribunal)
    {
        var prefix = $"sim-{world.Plan.RunId}-";
        bool Ours(string orderId) => orderId.StartsWith(prefix, StringComparison.Ordinal);
        var progress = world.Progress;
        var handle = world.Bus.ConnectReceiveEndpoint($"simulator-{world.Plan.RunId}-newsfeed", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            On<OrderCompleted>(e, m => Ours(m.OrderId), _ => progress.OrderCompleted());
            On<WarrantyActivated>(e, m => Ours(m.OrderId), _ => progress.WarrantyActivated());
            On<ClaimRejected>(e, m => Ours(m.OrderId), _ => progress.ClaimSettled());
            On<ClaimResolved>(e, m => Ours(m.OrderId), _ => progress.ClaimSettled());
            On<ProviderCallbackSlaBreached>(e, m => Ours(m.OrderId), _ => progress.Breach());
            On<RepairJobEscalated>(e, m => Ours(m.OrderId), _ => progress.Escalation());
            On<RulingIssued>(e, m => Ours(m.OrderId), _ => progress.Ruling());
            On<CaseOpened>(e, m => Ours(m.OrderId), m =>
            {
                progress.CaseOpened();
                tribunal.Opened(m);
            });
        });
        await handle.Ready;
    }

    private static void On<T>(IReceiveEndpointConfigurator endpoint, Func<T, bool> ours, Action<T> act) where T : class =>
        endpoint.Handler<T>(context =>
        {
            if (ours(context.Message))
            {
                act(context.Message);
            }
            return Task.CompletedTask;
        });
}
