using Arbitration.Domain;
using Arbitration.Service.ReadModels;
using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Cases;

/// <summary>
/// Everything that follows from a case's new events, in the same unit of work: the messages other
/// services and the trade system read, the respondent's deadline and the case's read-model row. Every feature goes
/// through the pipeline and so through here, so no path can append an event and forget what it owes
/// the others.
/// </summary>
public static class CaseEffects
{
    public static Task Apply(Session session, Applied<CaseState, CaseEvent> applied, CancellationToken ct)
    {
        var awaitingRespondent = applied.Stream.State is { File: not null, Status: CaseStatus.AwaitingRespondent };
        foreach (var (@event, state) in applied.Steps)
        {
            var file = state.File ?? throw new InvalidOperationException($"Case events for {applied.Stream.StreamId} that do not open it.");
            // The respondent answered, or the case was ruled, before the 72 hours ran out: left in place, the deadline
            // would fire then to change nothing. (When it is the deadline that rules, its row is already on its way.)
            if (awaitingRespondent && state.Status != CaseStatus.AwaitingRespondent)
            {
                session.CancelScheduled(RespondentDeadlineId(file.CaseId));
                awaitingRespondent = false;
            }
            switch (@event)
            {
                case CaseEvent.CaseOpened opened:
                    session.Publish(ContractMapping.CaseOpened(opened));
                    session.Schedule(opened.RespondentDeadlineAt, ContractMapping.RespondentDeadline(opened), id: RespondentDeadlineId(opened.CaseId));
                    break;
                case CaseEvent.EvidenceSubmitted submitted:
                    session.Publish(ContractMapping.EvidenceSubmitted(file, submitted));
                    break;
                case CaseEvent.CaseRuled ruled:
                    session.Publish(ContractMapping.RulingIssued(file, ruled));
                    break;
                case CaseEvent.CompensationInstructed instructed:
                    session.Publish(ContractMapping.CompensationInstructed(file, state, instructed));
                    break;
                case CaseEvent.ArbitratorAssigned or CaseEvent.PaymentConfirmed or CaseEvent.PaymentFailed:
                    // Internal work sharing, and the trade system's own answers: no other service acts on them; the case view shows them.
                    break;
            }
        }
        CaseList.Save(session, applied.After);
        return Task.CompletedTask;
    }

    /// <summary>A case opens once, so its respondent's deadline has an id of its own.</summary>
    public static Guid RespondentDeadlineId(Guid caseId) => ScheduledMessageIds.For("arbitration-respondent-deadline", caseId.ToString("N"));
}
