using Platform.Domain;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain;

/// <summary>Claim adjudication (docs/domain.md "Claims") and the claim's life after it: the merchant, escalation, resolution.</summary>
public static class ClaimDecisions
{
    public static Answerer AnswererOf(CoverageKind coverage, WarrantyFile.Activated file) => coverage switch
    {
        CoverageKind.ThreeGuaranteesRepair => file.HasNationalWarranty ? Answerer.Brand : Answerer.Merchant,
        CoverageKind.NationalJointWarranty => Answerer.Brand,
        CoverageKind.ExtendedWarranty => Answerer.ExtendedWarrantyProgramme,
        _ => Answerer.Merchant,
    };

    /// <summary>In warranty, whoever answers pays shipping; the programme's shipping is the platform's.</summary>
    public static ShippingPayer ShippingPaidBy(Answerer answerer) => answerer switch
    {
        Answerer.Brand => ShippingPayer.Brand,
        Answerer.ExtendedWarrantyProgramme => ShippingPayer.Platform,
        _ => ShippingPayer.Merchant,
    };

    /// <summary>A rejection is the claim's outcome, not a refusal of the command: the claim exists, rejected with its reason code.</summary>
    internal static Decision<WarrantyFileEvent> File(FileClaim command, WarrantyFile.Activated file, WarrantyPolicy policy)
    {
        if (file.Knows(command.ClaimId))
            return Decide<WarrantyFileEvent>.Nothing;
        if (command.ReceivedAt is { } receivedAt && receivedAt - command.Now > TimeSpan.FromHours(policy.FiledAtMaxAgeHours))
        {
            // Adjudicating as of an instant far in the past would let another system hand out periods that have
            // long ended; such a claim is refused rather than decided, and the filing system told why.
            return Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.FiledTooLongAgo,
                $"Claim {command.ClaimId} was filed at {command.Now:O} but reached the platform at {receivedAt:O}: a claim is adjudicated "
                + $"as of its filing only when it arrives within {policy.FiledAtMaxAgeHours} hours of it (Warranty__FiledAtMaxAgeHours).");
        }

        var filing = new ClaimFiling(command.Claimant, command.Fault, command.Description, command.RemedyAsked, command.Evidence, command.Now,
            command.ReceivedAt, command.Contact);
        if (command.Claimant.BuyerId != file.BuyerId)
            return Decide<WarrantyFileEvent>.Accept(Refuse(command, filing, RejectionReason.NotBuyer));
        if (file.RefundedAt is not null)
            return Decide<WarrantyFileEvent>.Accept(Refuse(command, filing, RejectionReason.LineRefunded));
        if (file.OpenClaim is not null)
            return Decide<WarrantyFileEvent>.Accept(Refuse(command, filing, RejectionReason.ClaimAlreadyOpen));
        return Decide<WarrantyFileEvent>.Accept(Adjudicate(command, filing, file, policy));
    }

    /// <summary>
    /// Remedies are tried best first from the one asked (return → replacement → repair), and for each the
    /// coverages in table order, so a buyer gets the remedy asked whenever any coverage still allows it and a
    /// lesser one only when none does. A merchant-answered coverage is passed over while the entry is closed
    /// rather than ending the search: the national and extended warranties need no entry, and a buyer who still
    /// holds one of them is served by it.
    /// </summary>
    private static IReadOnlyList<WarrantyFileEvent> Adjudicate(
        FileClaim command, ClaimFiling filing, WarrantyFile.Activated file, WarrantyPolicy policy)
    {
        var at = command.Now;
        var repeatRepair = command.Fault != FaultKind.AccidentalDamage
                           && file.ThreeGuaranteesRepairs >= policy.RepairsBeforeReplacement
                           && file.CoverageOf(CoverageKind.ThreeGuaranteesRepair)?.ActiveAt(at) == true;
        // After two repairs a third one is not what the law owes: the claim is approved as a replacement.
        var best = repeatRepair && command.RemedyAsked == Remedy.Repair ? Remedy.Replacement : command.RemedyAsked;
        var entryOpen = file.EntryOpenAt(at);
        var entryBlocked = false;

        for (var remedy = best; remedy <= Remedy.Repair; remedy++)
        {
            foreach (var coverage in file.Coverages.OrderBy(c => c.Kind))
            {
                if (!coverage.ActiveAt(at) || !Covers(coverage.Kind, command.Fault, file)
                    || !Allows(coverage.Kind, remedy, repeatRepair))
                    continue;

                var answerer = AnswererOf(coverage.Kind, file);
                if (answerer == Answerer.Merchant && !entryOpen)
                {
                    entryBlocked = true;
                    continue;
                }

                return Approve(command, filing, file, policy, coverage.Kind, remedy, answerer);
            }
        }

        if (entryBlocked)
        {
            // A reopen the buyer would be granted is the quicker path; only when it would be denied is arbitration left.
            var reopenCanHelp = EntryDecisions.EvaluateReopen(file, command.Fault, at) is ReopenEvaluation.Granted;
            return [new ClaimRejected(command.ClaimId, filing, RejectionReason.EntryClosed, reopenCanHelp, AppealCanHelp: !reopenCanHelp)];
        }

        var reason = command.Fault == FaultKind.AccidentalDamage && file.Coverages.Exists(c => c.ActiveAt(at))
            ? RejectionReason.AccidentalDamageNotCovered
            : RejectionReason.OutOfWarranty;
        // The cause of damage and the date of a fault are facts an arbitrator can weigh; no reopen changes them.
        return [new ClaimRejected(command.ClaimId, filing, reason, ReopenCanHelp: false, AppealCanHelp: true)];
    }

    /// <summary>Accidental damage only under an extended plan that includes it; the long-discovery coverage only for its own kind of defect.</summary>
    private static bool Covers(CoverageKind coverage, FaultKind fault, WarrantyFile.Activated file) => (coverage, fault) switch
    {
        (CoverageKind.ExtendedWarranty, FaultKind.AccidentalDamage) =>
            file.ExtendedWarranty?.Purchase.IncludesAccidentalDamage == true,
        (_, FaultKind.AccidentalDamage) => false,
        (CoverageKind.LongDiscovery, _) => fault == FaultKind.LongDiscoveryDefect,
        _ => true,
    };

    /// <summary>
    /// Any warranty can give repair; return and replacement only inside their own windows (the long-discovery
    /// window is the late-found defect's return and replacement window); and the 三包 repair period gives a
    /// replacement once two repairs have failed.
    /// </summary>
    private static bool Allows(CoverageKind coverage, Remedy remedy, bool repeatRepair) => remedy switch
    {
        Remedy.Return => coverage is CoverageKind.ThreeGuaranteesReturn or CoverageKind.LongDiscovery,
        Remedy.Replacement => coverage is CoverageKind.ThreeGuaranteesReplacement or CoverageKind.LongDiscovery
                              || (coverage == CoverageKind.ThreeGuaranteesRepair && repeatRepair),
        _ => true,
    };

    private static IReadOnlyList<WarrantyFileEvent> Approve(
        FileClaim command, ClaimFiling filing, WarrantyFile.Activated file, WarrantyPolicy policy,
        CoverageKind coverage, Remedy remedy, Answerer answerer)
    {
        var approved = new ClaimApproved(
            command.ClaimId, filing, coverage, remedy, answerer, ShippingPaidBy(answerer),
            RepeatRepairReplacement: coverage == CoverageKind.ThreeGuaranteesRepair && remedy == Remedy.Replacement);
        // The merchant's hours run from when the platform had the claim to show it, never from a time in the past.
        var respondBy = (command.ReceivedAt ?? command.Now).AddHours(policy.MerchantResponseHours);
        return answerer == Answerer.Merchant
            ? [approved, new ClaimAwaitingMerchant(command.ClaimId, file.MerchantId, respondBy)]
            : [approved];
    }

    /// <summary>Refusals say nothing about periods, so neither a reopen nor an appeal can change them.</summary>
    private static ClaimRejected Refuse(FileClaim command, ClaimFiling filing, RejectionReason reason) =>
        new(command.ClaimId, filing, reason, ReopenCanHelp: false, AppealCanHelp: false);

    /// <summary>Step 1 of adjudication: refusals that neither a reopen nor an appeal can change.</summary>
    public static bool IsRefusedOutright(RejectionReason reason) =>
        reason is RejectionReason.NotBuyer or RejectionReason.LineRefunded or RejectionReason.ClaimAlreadyOpen;

    /// <summary>
    /// Whether a rejection may be told with the line's product and merchant: not to someone who did not buy it,
    /// who would otherwise learn what another buyer bought and from whom by guessing an order id.
    /// </summary>
    public static bool MayNameTheLine(RejectionReason reason) => reason != RejectionReason.NotBuyer;

    internal static Decision<WarrantyFileEvent> Accept(AcceptClaim command, WarrantyFile.Activated file) =>
        file.ClaimById(command.ClaimId) switch
        {
            null => UnknownClaim(command.ClaimId),
            { Status: ClaimStatus.AwaitingMerchant, RespondBy: { } deadline } claim when command.Now >= deadline =>
                Decide<WarrantyFileEvent>.Accept(AcceptedBySilence(claim.ClaimId, deadline)),
            // A merchant may change its mind after refusing, as long as the buyer has not taken it to arbitration.
            { Status: ClaimStatus.AwaitingMerchant or ClaimStatus.RefusedByMerchant } claim =>
                Decide<WarrantyFileEvent>.Accept(new ClaimAcceptedByMerchant(claim.ClaimId, BySilence: false, command.Now)),
            { Status: ClaimStatus.InService } => Decide<WarrantyFileEvent>.Nothing,
            var claim => NotAllowed(WarrantyRefusalCode.ClaimNotAwaitingMerchant, claim, "accepted by the merchant"),
        };

    /// <summary>
    /// A refusal that arrives at or after the deadline is too late: silence has already accepted the claim. The
    /// merchant is told so, and the acceptance by silence is recorded with the refusal, so the outcome does not
    /// depend on whether the deadline message or the refusal is processed first.
    /// </summary>
    internal static Decision<WarrantyFileEvent> Refuse(RefuseClaim command, WarrantyFile.Activated file) =>
        file.ClaimById(command.ClaimId) switch
        {
            null => UnknownClaim(command.ClaimId),
            { Status: ClaimStatus.AwaitingMerchant, RespondBy: { } deadline } claim when command.Now >= deadline =>
                Decide<WarrantyFileEvent>.RefuseAndRecord(WarrantyRefusalCode.MerchantResponseDeadlinePassed,
                    $"The merchant's time to answer claim {claim.ClaimId} ended at {deadline:O}; silence accepted it.",
                    AcceptedBySilence(claim.ClaimId, deadline)),
            { Status: ClaimStatus.AwaitingMerchant } claim =>
                Decide<WarrantyFileEvent>.Accept(new ClaimRefusedByMerchant(claim.ClaimId, command.Reason, command.Evidence, command.Now)),
            { Status: ClaimStatus.RefusedByMerchant } => Decide<WarrantyFileEvent>.Nothing,
            { Status: ClaimStatus.InService, RespondBy: { } deadline } claim when command.Now >= deadline =>
                Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.MerchantResponseDeadlinePassed,
                    $"The merchant's time to answer claim {claim.ClaimId} ended at {deadline:O}."),
            var claim => NotAllowed(WarrantyRefusalCode.ClaimNotAwaitingMerchant, claim, "refused by the merchant"),
        };

    /// <summary>
    /// A stale deadline (the claim was answered) changes nothing. An early one, judged by this service's clock,
    /// is refused with the deadline as the time to try again: dropping it would leave the claim waiting for ever.
    /// </summary>
    internal static Decision<WarrantyFileEvent> CheckDeadline(CheckMerchantResponseDeadline command, WarrantyFile.Activated file) =>
        file.ClaimById(command.ClaimId) switch
        {
            null => UnknownClaim(command.ClaimId),
            { Status: ClaimStatus.AwaitingMerchant, RespondBy: { } deadline } when command.Now < deadline =>
                Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.DeadlineNotReached,
                    $"The merchant may answer claim {command.ClaimId} until {deadline:O}.", retryAt: deadline),
            { Status: ClaimStatus.AwaitingMerchant, RespondBy: { } deadline } claim =>
                Decide<WarrantyFileEvent>.Accept(AcceptedBySilence(claim.ClaimId, deadline)),
            _ => Decide<WarrantyFileEvent>.Nothing,
        };

    internal static Decision<WarrantyFileEvent> Escalate(EscalateClaim command, WarrantyFile.Activated file) =>
        file.ClaimById(command.ClaimId) switch
        {
            null => UnknownClaim(command.ClaimId),
            { Status: ClaimStatus.RefusedByMerchant } claim =>
                Decide<WarrantyFileEvent>.Accept(new ClaimEscalated(claim.ClaimId, command.Statement, command.Evidence, command.Now)),
            { Status: ClaimStatus.Escalated } => Decide<WarrantyFileEvent>.Nothing,
            var claim => NotAllowed(WarrantyRefusalCode.ClaimNotRefusedByMerchant, claim, "escalated (only a claim the merchant refused can be)"),
        };

    /// <summary>
    /// Days in repair are whole local days from the start of service (approval, or the merchant's acceptance)
    /// to completion: a same-day repair adds none, one that spans a midnight adds one.
    /// </summary>
    internal static Decision<WarrantyFileEvent> CompleteRepair(CompleteRepair command, WarrantyFile.Activated file)
    {
        if (file.ClaimById(command.ClaimId) is not { } claim)
            return UnknownClaim(command.ClaimId);
        if (claim.Status == ClaimStatus.Resolved)
            return Decide<WarrantyFileEvent>.Nothing;
        if (!claim.IsOpen || claim.Remedy == Remedy.Return)
            return NotAllowed(WarrantyRefusalCode.ResolutionNotAllowed, claim, "completed by a repair");

        var calendar = file.Calendar;
        var since = claim.InServiceSince ?? claim.Filing.FiledAt;
        var days = Math.Max(0, calendar.LocalDateOf(command.Now).DayNumber - calendar.LocalDateOf(since).DayNumber);
        var repair = file.CoverageOf(CoverageKind.ThreeGuaranteesRepair);
        var withinThreeGuarantees = repair?.ActiveAt(since) == true;
        // Decided here, with the file's calendar, and carried in the event: the fold only applies it.
        var extended = withinThreeGuarantees && days > 0
            ? calendar.Days(repair!.Period.FirstDay, repair.Period.LastDay.AddDays(days))
            : null;
        return Decide<WarrantyFileEvent>.Accept(
            new ClaimResolved(claim.ClaimId, ClaimResolution.RepairCompleted, command.Now, command.Outcome,
                DaysInRepair: days, WithinThreeGuaranteesRepair: withinThreeGuarantees, JobId: command.JobId,
                ThreeGuaranteesRepairPeriod: extended));
    }

    internal static Decision<WarrantyFileEvent> AcceptReturn(AcceptReturn command, WarrantyFile.Activated file)
    {
        if (file.ClaimById(command.ClaimId) is not { } claim)
            return UnknownClaim(command.ClaimId);
        if (claim.Status == ClaimStatus.Resolved)
            return Decide<WarrantyFileEvent>.Nothing;
        if (!claim.IsOpen || claim.Remedy == Remedy.Repair)
            return NotAllowed(WarrantyRefusalCode.ResolutionNotAllowed, claim, "resolved by a return");
        // Goods taken back for a replacement are exchanged, not paid for: only a return gives the price back, at the merchant's cost.
        IReadOnlyList<WarrantyFileEvent> refund = claim.Remedy == Remedy.Return
            ? RefundInstructions.LineRefund(file, PaymentReason.ReturnAccepted, Payer.Merchant, claim.ClaimId, null, command.Now)
            : [];
        return Decide<WarrantyFileEvent>.Accept([new ClaimResolved(claim.ClaimId, ClaimResolution.ReturnAccepted, command.Now), .. refund]);
    }

    /// <summary>
    /// A ruling is final. It resolves the claim it is about; on a rejected claim a ruling for the buyer is the
    /// approval the adjudication withheld, and one for the respondent leaves the rejection standing. Ordering a
    /// reopening reopens the entry whatever the periods say; ordering a refund gives the line's price back, at the
    /// respondent's cost, whatever became of the claim (a repair the platform ordered may have failed since). The case
    /// id makes a redelivered ruling change nothing, and a line's price goes back once however many cases order it.
    /// </summary>
    internal static Decision<WarrantyFileEvent> ApplyRuling(ApplyRuling command, WarrantyFile.Activated file, WarrantyPolicy policy)
    {
        if (file.AppliedRulings.Contains(command.CaseId))
            return Decide<WarrantyFileEvent>.Nothing;

        var events = new List<WarrantyFileEvent>();
        if (command.Decision == RulingDecision.ReopenEntry)
        {
            events.Add(new EntryReopened(ReopenGround.Ruling, EntryDecisions.ReopenWindow(file.Calendar, command.Now, policy),
                RuledOn(command, file), command.CaseId, command.Now));
        }

        // A claim refused outright cannot be appealed, so a ruling has nothing of it to change.
        var refusedOutright = command.ClaimId is { } named && file.RefusedOutright.Contains(named);
        if (command.ClaimId is { } claimId && !refusedOutright)
        {
            if (file.ClaimById(claimId) is not { } claim)
                return UnknownClaim(claimId);
            var overturnsRejection = claim.Status == ClaimStatus.Rejected && command.Decision != RulingDecision.ForRespondent;
            if (claim.IsOpen || overturnsRejection)
            {
                events.Add(new ClaimResolved(claimId, ClaimResolution.Ruling, command.Now,
                    Ruling: command.Decision, CaseId: command.CaseId));
            }
        }

        if (command.Decision == RulingDecision.Refund && !refusedOutright)
            events.AddRange(RefundInstructions.LineRefund(file, PaymentReason.RulingRefund, command.LoserPays, command.ClaimId, command.CaseId, command.Now));

        return Decide<WarrantyFileEvent>.Accept(events);
    }

    /// <summary>
    /// What the reopening ruling answered, for the parties to see who asked and for what: the denied request the
    /// appeal named, or the claim the case was about. A repair job's case names no claim when a ruling ordered
    /// the job; every case grows from a claim or a denied request on this line, so the latest of them is its origin.
    /// </summary>
    private static ReopenRequest? RuledOn(ApplyRuling command, WarrantyFile.Activated file)
    {
        if (command.ReopenRequestId is { } requestId && file.AppealableDenials.Find(r => r.RequestId == requestId) is { } denied)
            return denied;
        var claim = (command.ClaimId is { } claimId ? file.ClaimById(claimId) : null) ?? file.Claims.LastOrDefault();
        return claim is null
            ? file.AppealableDenials.LastOrDefault()
            : new ReopenRequest(claim.ClaimId, claim.Filing.Claimant, claim.Filing.Fault, claim.Filing.Description);
    }

    private static ClaimAcceptedByMerchant AcceptedBySilence(Guid claimId, DateTimeOffset deadline) =>
        new(claimId, BySilence: true, deadline);

    private static Decision<WarrantyFileEvent> UnknownClaim(Guid claimId) =>
        Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.UnknownClaim, $"Claim {claimId} is not on this warranty file.");

    private static Decision<WarrantyFileEvent> NotAllowed(WarrantyRefusalCode code, ClaimRecord claim, string what) =>
        Decide<WarrantyFileEvent>.Refuse(code, $"Claim {claim.ClaimId} is {claim.Status} and cannot be {what}.");
}
