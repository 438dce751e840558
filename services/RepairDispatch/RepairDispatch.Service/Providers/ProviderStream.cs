using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Providers;

/// <summary>One event stream per provider: its registration, status and callback breaches.</summary>
public sealed class ProviderStream
{
    public const string StreamType = "provider";

    /// <summary>
    /// A provider's stream gains an event for every callback breach for as long as the provider works
    /// with the platform, so it is loaded from a Marten inline snapshot kept by every append.
    /// </summary>
    public static readonly StreamSnapshot<Provider, ProviderEvent> Snapshots = new(Provider.Initial, ProviderDecider.Evolve);

    public ProviderStream(TimeProvider clock) =>
        Aggregate = new()
        {
            StreamType = StreamType,
            Initial = Provider.Initial,
            Evolve = ProviderDecider.Evolve,
            Load = (session, streamId, ct) => session.Load(streamId, StreamType, Snapshots, ct),
            Effects = (session, applied, ct) => Announce(session, applied, clock.GetUtcNow(), ct),
        };

    public Aggregate<Provider, ProviderEvent> Aggregate { get; }

    public static string StreamId(string providerId) => $"provider-{providerId}";

    /// <summary>
    /// A suspension is published; the providers table takes the registration and status, in the same
    /// unit of work. Open jobs and scorecards are the job streams' part of the row.
    /// </summary>
    private static async Task Announce(Session session, Applied<Provider, ProviderEvent> applied, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (@event, after) in applied.Steps)
        {
            if (@event is ProviderEvent.ProviderSuspended suspended)
            {
                session.Publish(ContractMessages.Suspended(suspended, ((Provider.Registered)after).BreachCount));
            }
        }
        if (applied.After is Provider.Registered registered)
        {
            await ProviderReadModel.Upsert(session, registered, now, ct);
        }
    }
}
