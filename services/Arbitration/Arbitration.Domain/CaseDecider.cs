using Platform.Domain;
using static Arbitration.Domain.CaseCommand;
using static Arbitration.Domain.CaseRefusalCode;

namespace Arbitration.Domain;

public static class CaseDecider
{
    public static Decision<CaseEvent> Decide(CaseCommand command, CaseState state, ArbitrationPolicy policy) =>
        (command, state) switch
        {
            (OpenCase open, { File: null }) => Open(open, policy),
            (OpenCase open, { File: { } file }) => SameOpening(open, file)
                ? NoChange
                : Refuse(CaseAlreadyOpen, $"case {file.CaseId} is already open for order {file.OrderId}, line {file.LineId}"),
            (ConfirmPayment or RecordPaymentFailure, { File: null }) => Refuse(UnknownPaymentInstruction, $"no compensation {command.CaseId} was instructed"),
            (_, { File: null }) => Refuse(CaseNotOpen, $"case {command.CaseId} is not open"),
            (SubmitEvidence submit, { File: { } file }) => Submit(submit, file, state),
            (AssignArbitrator assign, _) => Assign(assign, state),
            (IssueRuling issue, { File: { } file }) => Rule(issue, file, state),
            (EnforceRespondentDeadline deadline, { File: { } file }) => EnforceDeadline(deadline, file, state),
            (ConfirmPayment confirm, _) => Compensation.Confirm(confirm, state),
            (RecordPaymentFailure failure, _) => Compensation.Fail(failure, state),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown case command"),
        };

    private static Decision<CaseEvent> Open(OpenCase open, ArbitrationPolicy policy)
    {
        var missing = MissingFieldOf(open);
        return missing is not null
            ? Refuse(MissingField, $"case {open.CaseId} cannot open: {missing}")
            : Accept(new CaseEvent.CaseOpened(
                open.CaseId,
                open.OrderId,
                open.LineId,
                open.BuyerId,
                open.Origin,
                open.Origin.WhoAnswers(),
                open.Item,
                open.Now,
                open.Now + policy.RespondentDeadline));
    }

    private static string? MissingFieldOf(OpenCase open) => open switch
    {
        _ when open.CaseId == Guid.Empty => "the case id is missing",
        _ when IsMissing(open.OrderId) => "the order is missing",
        _ when IsMissing(open.LineId) => "the order line is missing",
        _ when IsMissing(open.BuyerId) => "the buyer is missing",
        { Origin: null } => "the origin is missing",
        { Item: null } => "the item is missing",
        _ => open.Origin.MissingField() ?? open.Item.MissingField(),
    };

    // A redelivered or retried opening reads the clock again, so the time is not compared; nor is
    // the item, a description the sender may have refreshed, which does not make it another case.
    private static bool SameOpening(OpenCase open, CaseFile file) =>
        open.OrderId == file.OrderId && open.LineId == file.LineId && open.BuyerId == file.BuyerId && open.Origin == file.Origin;

    private static Decision<CaseEvent> Submit(SubmitEvidence submit, CaseFile file, CaseState state)
    {
        CaseSide? side = submit.Actor switch
        {
            { Role: ActorRole.Buyer } buyer when buyer.Id == file.BuyerId => CaseSide.Buyer,
            var actor when file.Respondent.IsActedForBy(actor) => CaseSide.Respondent,
            _ => null,
        };
        // Checked first, so that a stranger learns nothing about the case.
        if (side is not { } party)
        {
            return Refuse(NotAParty, $"only the buyer and the respondent of case {file.CaseId} may submit evidence to it");
        }
        if (state.Ruling is { } ruling)
        {
            return Refuse(CaseAlreadyRuled, $"case {file.CaseId} was ruled at {ruling.RuledAt:O}; evidence is closed");
        }
        if (IsMissing(submit.Statement))
        {
            return Refuse(MissingField, "evidence needs a statement");
        }
        if (submit.Links is null || submit.Links.Any(IsMissing))
        {
            return Refuse(MissingField, "an evidence link is empty");
        }
        if (party == CaseSide.Respondent && state.RespondentAnsweredAt is null && submit.Now > file.RespondentDeadlineAt)
        {
            return Refuse(RespondentDeadlinePassed,
                $"the respondent's deadline passed at {file.RespondentDeadlineAt:O} without an answer; the case goes to the buyer by default");
        }
        // A retried submission reads the clock again, so the time is not compared.
        var duplicate = state.Evidence.Any(earlier =>
            earlier.Side == party
            && earlier.ActorId == submit.Actor.Id
            && earlier.Statement == submit.Statement
            && earlier.Links.SequenceEqual(submit.Links));
        return duplicate
            ? NoChange
            : Accept(new CaseEvent.EvidenceSubmitted(
                file.CaseId, party, submit.Actor.Id, submit.Links, submit.Statement, submit.Now));
    }

    private static Decision<CaseEvent> Assign(AssignArbitrator assign, CaseState state) => state switch
    {
        _ when IsMissing(assign.ArbitratorId) => Refuse(MissingField, "the arbitrator is missing"),
        { ArbitratorId: { } assigned } when assigned == assign.ArbitratorId => NoChange,
        { Ruling: { } ruling } => Refuse(CaseAlreadyRuled, $"case {assign.CaseId} was ruled at {ruling.RuledAt:O}"),
        { ArbitratorId: { } assigned } => Refuse(ArbitratorAlreadyAssigned,
            $"case {assign.CaseId} is already assigned to arbitrator {assigned}"),
        _ => Accept(new CaseEvent.ArbitratorAssigned(assign.CaseId, assign.ArbitratorId, assign.Now)),
    };

    // Every arbitrator has authority over every case (docs/domain.md, "Who may do what"); assignment
    // shares out the work. Once a case is assigned only its arbitrator rules, so two never work on it
    // at once; before that any arbitrator may, so a failed assignment cannot leave a case stuck.
    private static Decision<CaseEvent> Rule(IssueRuling issue, CaseFile file, CaseState state)
    {
        if (issue.Actor.Role != ActorRole.Arbitrator)
        {
            return Refuse(NotAnArbitrator, "only an arbitrator may rule on a case");
        }
        if (state.ArbitratorId is { } assigned && issue.Actor.Id != assigned)
        {
            return Refuse(NotTheAssignedArbitrator, $"case {file.CaseId} is assigned to another arbitrator");
        }
        if (state.Ruling is { } ruling)
        {
            return ruling == new Ruling(issue.Verdict, issue.Rationale, issue.Actor.Id, ruling.RuledAt)
                ? NoChange
                : Refuse(CaseAlreadyRuled, $"case {file.CaseId} was ruled at {ruling.RuledAt:O}; a ruling is final");
        }
        if (IsMissing(issue.Rationale))
        {
            return Refuse(MissingRationale, "a ruling needs a rationale");
        }
        if (InvalidVerdict(issue.Verdict) is { } invalid)
        {
            return invalid;
        }
        // The respondent is owed its time to answer before anyone decides against it.
        if (state.RespondentAnsweredAt is null && issue.Now < file.RespondentDeadlineAt)
        {
            return Refuse(RespondentStillHasTime,
                $"the respondent may answer until {file.RespondentDeadlineAt:O}; rule once it has answered or after that",
                file.RespondentDeadlineAt);
        }
        return Accept(Compensation.Ruled(file, new CaseEvent.CaseRuled(file.CaseId, issue.Verdict, issue.Rationale, issue.Actor.Id, issue.Now)));
    }

    private static Decision<CaseEvent>? InvalidVerdict(Verdict? verdict) => verdict switch
    {
        null => Refuse(MissingField, "the ruling names no verdict"),
        Verdict.ForBuyer { Remedy: null } => Refuse(MissingField, "a ruling for the buyer needs a remedy"),
        Verdict.ForBuyer { Remedy: Remedy.Compensation { Amount: <= 0 and var amount } } => Refuse(InvalidCompensation,
            $"compensation of {amount} yuan; it must be above zero"),
        _ => null,
    };

    private static Decision<CaseEvent> EnforceDeadline(EnforceRespondentDeadline deadline, CaseFile file, CaseState state) => state switch
    {
        { Ruling: not null } or { RespondentAnsweredAt: not null } => NoChange,
        // Refused rather than ignored, so that an early delivery is scheduled again instead of lost.
        _ when deadline.Now < file.RespondentDeadlineAt => Refuse(DeadlineNotReached,
            $"the respondent of case {file.CaseId} may answer until {file.RespondentDeadlineAt:O}", file.RespondentDeadlineAt),
        // Ruled at the deadline, not at delivery: the respondent lost when its time ran out.
        _ => Accept(Compensation.Ruled(file, new CaseEvent.CaseRuled(
            file.CaseId,
            new Verdict.ForBuyer(file.Origin.RemedyByDefault()),
            $"The respondent ({file.Respondent.Role}) did not answer by {file.RespondentDeadlineAt:O}; the case is decided for the buyer by default.",
            null,
            file.RespondentDeadlineAt))),
    };

    private static Decision<CaseEvent> NoChange => Decide<CaseEvent>.Nothing;

    private static Decision<CaseEvent> Accept(params IReadOnlyList<CaseEvent> events) => Decide<CaseEvent>.Accept(events);

    private static Decision<CaseEvent> Refuse(CaseRefusalCode code, string reason, DateTimeOffset? retryAt = null) =>
        Decide<CaseEvent>.Refuse(code, reason, retryAt);

    private static bool IsMissing(string? value) => string.IsNullOrWhiteSpace(value);
}
