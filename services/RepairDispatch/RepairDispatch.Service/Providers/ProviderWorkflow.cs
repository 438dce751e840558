using Platform.EventSourcing;
using RepairDispatch.Domain;
using RepairDispatch.Service.Jobs;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Providers;

/// <summary>What a provider command did: the decision, and the provider as its stream now stands.</summary>
public sealed record ProviderOutcome(Decision<ProviderEvent> Decision, Provider State);

/// <summary>Runs a provider command inside a unit of work: one stream per provider.</summary>
public sealed class ProviderWorkflow(RepairDispatchPolicy policy)
{
    public const string StreamType = "provider";

    public static string StreamId(string providerId) => $"provider-{providerId}";

    /// <summary>
    /// A provider's stream gains an event for every callback breach for as long as the provider works
    /// with the platform, so it is loaded from a Marten inline snapshot kept by every append.
    /// </summary>
    public static readonly StreamSnapshot<Provider, ProviderEvent> Snapshots = new(Provider.Initial, ProviderDecider.Evolve);

    /// <summary>Decides and appends; publishes a suspension. The providers read model is the caller's to write, with the rest of its row.</summary>
    public async Task<ProviderOutcome> Execute(Session session, string providerId, ProviderCommand command, CancellationToken ct)
    {
        var stream = await session.Load(StreamId(providerId), StreamType, Snapshots, ct);
        var decision = ProviderDecider.Decide(command, stream.State, policy);
        session.Append(stream, decision.Events);
        var state = decision.Events.Aggregate(stream.State, ProviderDecider.Evolve);
        foreach (var suspended in decision.Events.OfType<ProviderEvent.ProviderSuspended>())
        {
            session.Publish(ContractMessages.Suspended(suspended, ((Provider.Registered)state).Breaches.Count));
        }
        return new ProviderOutcome(decision, state);
    }

    /// <summary>An operator's (or the seed's) command: what it changed goes to the read model at once.</summary>
    public async Task<ProviderOutcome> Manage(Session session, string providerId, ProviderCommand command, DateTimeOffset now, CancellationToken ct)
    {
        var outcome = await Execute(session, providerId, command, ct);
        if (outcome.Decision.Events.Count > 0 && outcome.State is Provider.Registered registered)
        {
            await ProviderReadModel.Upsert(session, registered, now, ct);
        }
        return outcome;
    }
}
