using Arbitration.Domain;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Cases;

/// <summary>The buyer's own account that came with what opened the case.</summary>
public sealed record BuyerStatement(string? Statement, IReadOnlyList<string> Links);

/// <summary>How an attempt to open a case ended.</summary>
public abstract record OpeningOutcome
{
    public sealed record Opened(CaseState State) : OpeningOutcome;

    /// <summary>The same case was opened before (a re-sent escalation, a retried appeal): nothing was written.</summary>
    public sealed record AlreadyOpen(CaseState State) : OpeningOutcome;

    public sealed record Refused(Refusal Refusal) : OpeningOutcome;
}

/// <summary>
/// Opens a case, whatever brought it: the case itself, the buyer's statement that came with it,
/// and the arbitrator it goes to, appended together in the caller's unit of work.
/// </summary>
public sealed class CaseOpening(CaseStream cases, ArbitrationPolicy policy, ArbitratorRoster roster)
{
    public async Task<OpeningOutcome> Open(UnitOfWork work, CaseCommand.OpenCase open, BuyerStatement? statement, CancellationToken ct)
    {
        var stream = await cases.Aggregate.LoadFrom(work.Session, CaseStream.StreamId(open.CaseId), ct);
        var decision = CaseDecider.Decide(open, stream.State, policy);
        if (decision.RefusalOrNull is { } refusal)
        {
            return new OpeningOutcome.Refused(refusal);
        }
        if (decision.Events.Count == 0)
        {
            return new OpeningOutcome.AlreadyOpen(stream.State);
        }
        var events = new List<CaseEvent>(decision.Events);
        var state = events.Aggregate(stream.State, CaseState.Evolve);
        if (statement is not null)
        {
            // A statement the decider will not take (blank, an empty link) must not keep the case
            // from opening: the buyer can add evidence to it afterwards.
            state = Then(new CaseCommand.SubmitEvidence(open.CaseId, new Actor(ActorRole.Buyer, open.BuyerId), statement.Links, statement.Statement ?? "", open.Now), state, events);
        }
        if (await roster.Choose(work.Session, ct) is { } arbitratorId)
        {
            Then(new CaseCommand.AssignArbitrator(open.CaseId, arbitratorId, open.Now), state, events);
        }
        return new OpeningOutcome.Opened(await work.Append(cases.Aggregate, stream, events, ct));
    }

    private CaseState Then(CaseCommand command, CaseState state, List<CaseEvent> events)
    {
        if (CaseDecider.Decide(command, state, policy) is not Decision<CaseEvent>.Accepted accepted)
        {
            return state;
        }
        events.AddRange(accepted.Events);
        return accepted.Events.Aggregate(state, CaseState.Evolve);
    }
}
