using Arbitration.Domain;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Cases;

/// <summary>One stream per case, folded with the domain's Evolve.</summary>
public sealed class CaseStream(ArbitrationMetrics metrics)
{
    public const string StreamType = "arbitration-case";

    public Aggregate<CaseState, CaseEvent> Aggregate { get; } = new()
    {
        StreamType = StreamType,
        Initial = CaseState.Initial,
        Evolve = CaseState.Evolve,
        Effects = CaseEffects.Apply,
        Committed = metrics.Count,
    };

    public static string StreamId(Guid caseId) => $"arbitration-case-{caseId:D}";

    /// <summary>The case as it stands, for a query: no transaction is held.</summary>
    public static Task<CaseState> Read(EventStore store, Guid caseId, CancellationToken ct) =>
        store.Fold<CaseState, CaseEvent>(StreamId(caseId), CaseState.Initial, CaseState.Evolve, ct);
}
