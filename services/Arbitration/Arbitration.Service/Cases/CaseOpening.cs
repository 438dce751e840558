using Arbitration.Domain;
using Platform.EventSourcing;

namespace Arbitration.Service.Cases;

/// <summary>The buyer's own account that came with what opened the case.</summary>
public sealed record BuyerStatement(string? Statement, IReadOnlyList<string> Links);

/// <summary>How an attempt to open a case ended.</summary>
public abstract record OpeningOutcome
{
    public sealed record Opened(CaseChange Change) : OpeningOutcome;

    /// <summary>The same case was opened before (a re-sent escalation, a retried appeal): nothing was written.</summary>
    public sealed record AlreadyOpen(LoadedStream<CaseState> Stream) : OpeningOutcome;

    public sealed record Refused(CaseDecision.Refused Refusal) : OpeningOutcome;
}

/// <summary>
/// Opens a case, whatever brought it: the case itself, the buyer's statement that came with it,
/// and the arbitrator it goes to, in the caller's unit of work.
/// </summary>
public sealed class CaseOpening(ArbitrationPolicy policy, ArbitratorRoster roster)
{
    public async Task<OpeningOutcome> Open(Session session, CaseCommand.OpenCase open, BuyerStatement? statement, CancellationToken ct)
    {
        var stream = await CaseStreams.Load(session, open.CaseId, ct);
        var decision = CaseDecider.Decide(open, stream.State, policy);
        if (decision is CaseDecision.Refused refused)
        {
            return new OpeningOutcome.Refused(refused);
        }
        var events = new List<CaseEvent>(((CaseDecision.Accepted)decision).Events);
        if (events.Count == 0)
        {
            return new OpeningOutcome.AlreadyOpen(stream);
        }
        var state = events.Aggregate(stream.State, CaseState.Evolve);
        if (statement is not null)
        {
            // A statement the decider will not take (blank, an empty link) must not keep the case
            // from opening: the buyer can add evidence to it afterwards.
            state = Then(new CaseCommand.SubmitEvidence(open.CaseId, new Actor(ActorRole.Buyer, open.BuyerId), statement.Links, statement.Statement ?? "", open.Now), state, events);
        }
        if (await roster.Choose(session, ct) is { } arbitratorId)
        {
            Then(new CaseCommand.AssignArbitrator(open.CaseId, arbitratorId, open.Now), state, events);
        }
        return new OpeningOutcome.Opened(await CaseEffects.Apply(session, stream, events, ct));
    }

    private CaseState Then(CaseCommand command, CaseState state, List<CaseEvent> events)
    {
        if (CaseDecider.Decide(command, state, policy) is not CaseDecision.Accepted accepted)
        {
            return state;
        }
        events.AddRange(accepted.Events);
        return accepted.Events.Aggregate(state, CaseState.Evolve);
    }
}
