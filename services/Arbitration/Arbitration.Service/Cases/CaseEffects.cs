using Arbitration.Domain;
using Arbitration.Service.ReadModels;
using Platform.EventSourcing;

namespace Arbitration.Service.Cases;

/// <summary>What one unit of work did to a case: the events it appends and the state after them.</summary>
public sealed record CaseChange(CaseState State, IReadOnlyList<CaseEvent> Events);

/// <summary>
/// Everything that follows from a case's new events, in the same unit of work: the append, the
/// messages other services read, the respondent's deadline and the case's read-model row. Every
/// feature goes through here, so no path can append an event and forget what it owes the others.
/// </summary>
public static class CaseEffects
{
    public static async Task<CaseChange> Apply(Session session, LoadedStream<CaseState> stream, IReadOnlyList<CaseEvent> events, CancellationToken ct)
    {
        var state = events.Aggregate(stream.State, CaseState.Evolve);
        if (events.Count == 0)
        {
            return new CaseChange(state, events);
        }
        session.Append(stream, events);
        var file = state.File ?? throw new InvalidOperationException($"Case events for {stream.StreamId} that do not open it.");
        foreach (var @event in events)
        {
            switch (@event)
            {
                case CaseEvent.CaseOpened opened:
                    session.Publish(ContractMapping.CaseOpened(opened));
                    session.Schedule(opened.RespondentDeadlineAt, ContractMapping.RespondentDeadline(opened));
                    break;
                case CaseEvent.EvidenceSubmitted submitted:
                    session.Publish(ContractMapping.EvidenceSubmitted(file, submitted));
                    break;
                case CaseEvent.CaseRuled ruled:
                    session.Publish(ContractMapping.RulingIssued(file, ruled));
                    break;
                case CaseEvent.ArbitratorAssigned:
                    // Internal work sharing: no other service acts on it; the case view shows it.
                    break;
            }
        }
        await CaseList.Save(session, state, ct);
        return new CaseChange(state, events);
    }
}
