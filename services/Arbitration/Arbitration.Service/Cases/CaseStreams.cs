using Arbitration.Domain;
using Platform.EventSourcing;

namespace Arbitration.Service.Cases;

/// <summary>One stream per case, folded with the domain's Evolve.</summary>
public static class CaseStreams
{
    public const string StreamType = "arbitration-case";

    public static string StreamId(Guid caseId) => $"arbitration-case-{caseId:D}";

    public static Task<LoadedStream<CaseState>> Load(Session session, Guid caseId, CancellationToken ct) =>
        session.Load(StreamId(caseId), StreamType, CaseState.Initial, (state, @event) => CaseState.Evolve(state, (CaseEvent)@event), ct);

    /// <summary>The case as it stands, for a query: no transaction is held.</summary>
    public static async Task<CaseState> Read(EventStore store, Guid caseId, CancellationToken ct) =>
        (await store.ReadStream(StreamId(caseId), ct)).Aggregate(CaseState.Initial, (state, stored) => CaseState.Evolve(state, (CaseEvent)stored.Data));
}
