using static Warranty.Domain.Tests.Time;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

public sealed class ClaimLifecycleTests
{
    private const string FiledAt = "2024-09-01T10:00:00+08:00";
    private static readonly DateTimeOffset Deadline = At("2024-09-03T10:00:00+08:00");
    private const string Statement = "the merchant blames water; there was none";
    private static readonly IReadOnlyList<string> MerchantEvidence = ["https://evidence.example/merchant-inspection.jpg"];
    private static readonly IReadOnlyList<string> BuyerEvidence = ["https://evidence.example/buyer-video.mp4"];

    private static EscalateClaim Escalate(Guid claimId, DateTimeOffset at) => new(claimId, Statement, BuyerEvidence, at);

    /// <summary>No national warranty, so the 三包 repair in September 2024 is the merchant's to answer.</summary>
    private static (Line Line, Guid ClaimId) AwaitingMerchant()
    {
        var claim = Line.Claim(FiledAt);
        return (Line.Activated(nationalMonths: 0).Then(claim), claim.ClaimId);
    }

    [Fact]
    public void A_merchant_answered_claim_waits_48_hours_for_the_merchant()
    {
        var (line, claimId) = AwaitingMerchant();

        Assert.Equal(new ClaimAwaitingMerchant(claimId, Line.Merchant, Deadline), line.History[^1]);
        var claim = line.File.ClaimById(claimId)!;
        Assert.Equal((ClaimStatus.AwaitingMerchant, Deadline), (claim.Status, claim.RespondBy));
    }

    [Fact]
    public void The_response_time_is_policy()
    {
        var policy = WarrantyPolicy.Default with { MerchantResponseHours = 24 };
        var claim = Line.Claim(FiledAt);

        var events = Line.Activated(nationalMonths: 0, policy: policy).When(claim);

        Assert.Equal(new ClaimAwaitingMerchant(claim.ClaimId, Line.Merchant, At("2024-09-02T10:00:00+08:00")), events[^1]);
    }

    [Fact]
    public void Silence_accepts_the_claim_at_the_deadline_on_the_merchant_behalf()
    {
        var (line, claimId) = AwaitingMerchant();

        var early = line.Refused(new CheckMerchantResponseDeadline(claimId, Deadline.AddSeconds(-1)), WarrantyRefusalCode.DeadlineNotReached);
        Assert.Equal(Deadline, early.RetryAt);
        Assert.Equal([new ClaimAcceptedByMerchant(claimId, true, Deadline)], line.When(new CheckMerchantResponseDeadline(claimId, Deadline)));
        line.Then(new CheckMerchantResponseDeadline(claimId, Deadline.AddMinutes(3)));
        Assert.Equal(ClaimStatus.InService, line.File.ClaimById(claimId)!.Status);
        Assert.Empty(line.When(new CheckMerchantResponseDeadline(claimId, Deadline.AddMinutes(5))));
    }

    [Fact]
    public void The_merchant_accepts_in_time_once()
    {
        var (line, claimId) = AwaitingMerchant();
        var acceptedAt = At("2024-09-02T09:00:00+08:00");

        line.Then(new AcceptClaim(claimId, acceptedAt));

        Assert.Equal(new ClaimAcceptedByMerchant(claimId, false, acceptedAt), line.History[^1]);
        Assert.Equal(acceptedAt, line.File.ClaimById(claimId)!.InServiceSince);
        Assert.Empty(line.When(new AcceptClaim(claimId, acceptedAt.AddHours(1))));
        Assert.Empty(line.When(new CheckMerchantResponseDeadline(claimId, Deadline)));
    }

    [Fact]
    public void A_refusal_lets_the_buyer_escalate_once()
    {
        var (line, claimId) = AwaitingMerchant();
        var refusedAt = At("2024-09-02T09:00:00+08:00");

        line.Then(new RefuseClaim(claimId, "water damage found", MerchantEvidence, refusedAt));
        Assert.Equal(new ClaimRefusedByMerchant(claimId, "water damage found", MerchantEvidence, refusedAt), line.History[^1]);
        Assert.Equal("water damage found", line.File.ClaimById(claimId)!.MerchantRefusal);
        Assert.Empty(line.When(new CheckMerchantResponseDeadline(claimId, Deadline)));

        line.Then(Escalate(claimId, refusedAt.AddHours(2)));
        Assert.Equal(new ClaimEscalated(claimId, Statement, BuyerEvidence, refusedAt.AddHours(2)), line.History[^1]);
        Assert.Equal(ClaimStatus.Escalated, line.File.ClaimById(claimId)!.Status);
        Assert.Empty(line.When(Escalate(claimId, refusedAt.AddHours(3))));
    }

    [Fact]
    public void The_buyer_cannot_escalate_before_a_refusal()
    {
        var (line, claimId) = AwaitingMerchant();

        var refusal = line.Refused(Escalate(claimId, At("2024-09-01T12:00:00+08:00")), WarrantyRefusalCode.ClaimNotRefusedByMerchant);
        Assert.Contains("AwaitingMerchant", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_at_or_after_the_deadline_is_too_late_silence_already_accepted()
    {
        var (line, claimId) = AwaitingMerchant();

        var late = new RefuseClaim(claimId, "late", MerchantEvidence, Deadline);
        line.Refused(late, WarrantyRefusalCode.MerchantResponseDeadlinePassed);
        Assert.Equal([new ClaimAcceptedByMerchant(claimId, true, Deadline)], line.When(late));
        Assert.Equal([new ClaimAcceptedByMerchant(claimId, true, Deadline)], line.When(new AcceptClaim(claimId, Deadline.AddHours(1))));
        line.Then(new CheckMerchantResponseDeadline(claimId, Deadline));
        line.Refused(late with { Now = Deadline.AddHours(2) }, WarrantyRefusalCode.MerchantResponseDeadlinePassed);
    }

    [Fact]
    public void A_merchant_may_accept_after_refusing_until_the_buyer_escalates()
    {
        var (line, claimId) = AwaitingMerchant();
        line.Then(new RefuseClaim(claimId, "no", MerchantEvidence, At("2024-09-01T12:00:00+08:00")));

        Assert.Equal([new ClaimAcceptedByMerchant(claimId, false, At("2024-09-01T13:00:00+08:00"))],
            line.When(new AcceptClaim(claimId, At("2024-09-01T13:00:00+08:00"))));
        line.Then(Escalate(claimId, At("2024-09-01T14:00:00+08:00")));
        line.Refused(new AcceptClaim(claimId, At("2024-09-01T15:00:00+08:00")), WarrantyRefusalCode.ClaimNotAwaitingMerchant);
    }

    [Fact]
    public void A_brand_answered_claim_goes_straight_to_service_and_the_merchant_cannot_refuse_it()
    {
        var claim = Line.Claim(FiledAt);
        var line = Line.Activated(nationalMonths: 12).Then(claim);

        Assert.Equal((ClaimStatus.InService, claim.Now), (line.File.OpenClaim!.Status, line.File.OpenClaim.InServiceSince));
        line.Refused(new RefuseClaim(claim.ClaimId, "no", MerchantEvidence, claim.Now.AddHours(1)), WarrantyRefusalCode.ClaimNotAwaitingMerchant);
    }

    [Fact]
    public void A_finished_repair_resolves_the_claim_and_counts_whole_local_days_in_repair()
    {
        var claim = Line.Claim("2024-09-01T23:30:00+08:00");
        var line = Line.Activated(nationalMonths: 12).Then(claim);
        // 2024-09-03T16:10Z is 09-04 00:10 in Shanghai: three local dates after 09-01.
        var done = At("2024-09-03T16:10:00Z");

        var job = Guid.NewGuid();

        var events = line.When(new CompleteRepair(claim.ClaimId, RepairOutcome.Repaired, done, job));

        var extended = line.File.Calendar.Days(Day("2024-01-10"), Day("2025-01-13"));
        Assert.Equal([new ClaimResolved(claim.ClaimId, ClaimResolution.RepairCompleted, done, RepairOutcome.Repaired, DaysInRepair: 3,
            WithinThreeGuaranteesRepair: true, JobId: job, ThreeGuaranteesRepairPeriod: extended)], events);
        line.Given([.. events]);
        Assert.Equal((1, 3), (line.File.ThreeGuaranteesRepairs, line.File.DaysInRepair));
        Assert.Equal(Day("2025-01-13"), line.File.CoverageOf(CoverageKind.ThreeGuaranteesRepair)!.Period.LastDay);
        Assert.Equal(Day("2025-01-10"), line.File.CoverageOf(CoverageKind.NationalJointWarranty)!.Period.LastDay);
        Assert.Empty(line.When(new CompleteRepair(claim.ClaimId, RepairOutcome.Repaired, done.AddHours(1))));
    }

    [Fact]
    public void A_repair_begun_inside_the_three_guarantees_period_extends_it_even_when_it_ends_outside()
    {
        var claim = Line.Claim("2025-01-09T10:00:00+08:00");
        var line = Line.Activated().Then(claim);

        line.Then(new CompleteRepair(claim.ClaimId, RepairOutcome.Repaired, At("2025-01-15T10:00:00+08:00")));

        Assert.Equal(Day("2025-01-16"), line.File.CoverageOf(CoverageKind.ThreeGuaranteesRepair)!.Period.LastDay);
        Assert.Equal(1, line.File.ThreeGuaranteesRepairs);
    }

    /// <summary>The fold applies the period the event carries; it does not count the days again with its own calendar.</summary>
    [Fact]
    public void The_extended_three_guarantees_repair_period_is_the_one_the_resolution_carries()
    {
        var claim = Line.Claim("2024-09-01T10:00:00+08:00");
        var line = Line.Activated().Then(claim);
        var carried = line.File.Calendar.Days(Day("2024-01-10"), Day("2025-01-20"));

        line.Given(new ClaimResolved(claim.ClaimId, ClaimResolution.RepairCompleted, At("2024-09-05T10:00:00+08:00"), RepairOutcome.Repaired,
            DaysInRepair: 4, WithinThreeGuaranteesRepair: true, ThreeGuaranteesRepairPeriod: carried));

        Assert.Equal(carried, line.File.CoverageOf(CoverageKind.ThreeGuaranteesRepair)!.Period);
    }

    [Fact]
    public void A_resolution_stored_before_it_carried_the_period_still_extends_it_by_its_days()
    {
        var claim = Line.Claim("2024-09-01T10:00:00+08:00");
        var line = Line.Activated().Then(claim);

        line.Given(new ClaimResolved(claim.ClaimId, ClaimResolution.RepairCompleted, At("2024-09-05T10:00:00+08:00"), RepairOutcome.Repaired,
            DaysInRepair: 4, WithinThreeGuaranteesRepair: true));

        Assert.Equal(Day("2025-01-14"), line.File.CoverageOf(CoverageKind.ThreeGuaranteesRepair)!.Period.LastDay);
    }

    [Fact]
    public void A_same_day_repair_adds_no_days()
    {
        var claim = Line.Claim("2024-09-01T09:00:00+08:00");
        var line = Line.Activated().Then(claim);

        var resolved = Assert.IsType<ClaimResolved>(Assert.Single(line.When(new CompleteRepair(claim.ClaimId, RepairOutcome.Repaired, At("2024-09-01T23:59:59+08:00")))));

        Assert.Equal(0, resolved.DaysInRepair);
    }

    [Fact]
    public void An_unrepairable_outcome_adds_its_days_but_is_not_a_repair_that_counts_towards_replacement()
    {
        var claim = Line.Claim(FiledAt);
        var line = Line.Activated().Then(claim).Then(new CompleteRepair(claim.ClaimId, RepairOutcome.Unrepairable, At("2024-09-05T10:00:00+08:00")));

        Assert.Equal((0, 4), (line.File.ThreeGuaranteesRepairs, line.File.DaysInRepair));
    }

    [Fact]
    public void A_repair_under_the_extended_plan_neither_extends_nor_counts_for_three_guarantees()
    {
        var claim = Line.Claim("2025-06-01T10:00:00+08:00");
        var line = Line.Activated(plan: new ExtendedWarrantyPurchase(1, 199m, false)).Then(claim);

        var resolved = Assert.IsType<ClaimResolved>(Assert.Single(line.When(new CompleteRepair(claim.ClaimId, RepairOutcome.Repaired, At("2025-06-05T10:00:00+08:00")))));

        Assert.False(resolved.WithinThreeGuaranteesRepair);
        line.Given(resolved);
        Assert.Equal((0, Day("2025-01-10")), (line.File.ThreeGuaranteesRepairs, line.File.CoverageOf(CoverageKind.ThreeGuaranteesRepair)!.Period.LastDay));
    }

    [Fact]
    public void After_a_resolution_or_a_rejection_the_line_takes_a_new_claim()
    {
        var first = Line.Claim(FiledAt);
        var line = Line.Activated().Then(first).Then(new CompleteRepair(first.ClaimId, RepairOutcome.Repaired, At("2024-09-02T10:00:00+08:00")));
        line.Then(Line.Claim("2024-09-10T10:00:00+08:00", FaultKind.AccidentalDamage));
        Assert.IsType<ClaimRejected>(line.History[^1]);

        Assert.IsType<ClaimApproved>(Assert.Single(line.When(Line.Claim("2024-09-11T10:00:00+08:00"))));
    }

    [Fact]
    public void Filing_the_same_claim_again_changes_nothing()
    {
        var claim = Line.Claim(FiledAt);
        var line = Line.Activated().Then(claim);

        Assert.Empty(line.When(claim with { Now = claim.Now.AddMinutes(1) }));
    }

    [Fact]
    public void An_accepted_return_resolves_a_return_or_replacement_claim_but_not_a_repair()
    {
        var returned = Line.Claim("2024-01-12T10:00:00+08:00", asked: Remedy.Return);
        var line = Line.Activated().Then(returned);

        line.Refused(new CompleteRepair(returned.ClaimId, RepairOutcome.Repaired, At("2024-01-13T10:00:00+08:00")), WarrantyRefusalCode.ResolutionNotAllowed);
        Assert.Equal([new ClaimResolved(returned.ClaimId, ClaimResolution.ReturnAccepted, At("2024-01-14T10:00:00+08:00"))],
            line.When(new AcceptReturn(returned.ClaimId, At("2024-01-14T10:00:00+08:00"))));

        var repair = Line.Claim("2024-03-01T10:00:00+08:00");
        var repairLine = Line.Activated().Then(repair);
        repairLine.Refused(new AcceptReturn(repair.ClaimId, At("2024-03-02T10:00:00+08:00")), WarrantyRefusalCode.ResolutionNotAllowed);
    }

    [Fact]
    public void A_ruling_resolves_an_escalated_claim_once()
    {
        var (line, claimId) = AwaitingMerchant();
        line.Then(new RefuseClaim(claimId, "no", MerchantEvidence, At("2024-09-01T12:00:00+08:00")))
            .Then(Escalate(claimId, At("2024-09-01T13:00:00+08:00")));
        var ruling = new ApplyRuling("case-7", claimId, RulingDecision.Repair, At("2024-09-05T10:00:00+08:00"));

        var events = line.When(ruling);

        Assert.Equal([new ClaimResolved(claimId, ClaimResolution.Ruling, ruling.Now, Ruling: RulingDecision.Repair, CaseId: "case-7")], events);
        line.Given([.. events]);
        Assert.Empty(line.When(ruling));
        Assert.Null(line.File.OpenClaim);
    }

    [Fact]
    public void A_ruling_for_the_buyer_approves_a_rejected_claim_and_one_for_the_respondent_leaves_it_rejected()
    {
        var claim = Line.Claim("2024-09-01T10:00:00+08:00", FaultKind.AccidentalDamage);
        var line = Line.Activated().Then(claim);
        var now = At("2024-09-10T10:00:00+08:00");

        Assert.Empty(line.When(new ApplyRuling("case-1", claim.ClaimId, RulingDecision.ForRespondent, now)));
        Assert.Equal([new ClaimResolved(claim.ClaimId, ClaimResolution.Ruling, now, Ruling: RulingDecision.Replacement, CaseId: "case-2")],
            line.When(new ApplyRuling("case-2", claim.ClaimId, RulingDecision.Replacement, now)));
    }

    [Fact]
    public void A_ruling_can_reopen_the_entry_whatever_the_periods_say()
    {
        var line = Line.Activated(CategoryPolicy.Clothing, nationalMonths: 0);
        var now = At("2025-06-01T10:00:00+08:00");

        var events = line.When(new ApplyRuling("case-3", null, RulingDecision.ReopenEntry, now));

        var window = new LocalPeriod(Day("2025-06-01"), Day("2025-06-16"), At("2025-05-31T16:00:00Z"), At("2025-06-16T16:00:00Z"));
        Assert.Equal([new EntryReopened(ReopenGround.Ruling, window, null, "case-3", now)], events);
        line.Given([.. events]);
        Assert.True(line.File.EntryOpenAt(now));
        Assert.Empty(line.When(new ApplyRuling("case-3", null, RulingDecision.ReopenEntry, now.AddDays(1))));
        Assert.Empty(line.When(new ApplyRuling("case-4", null, RulingDecision.ForRespondent, now)));
    }

    /// <summary>A plant's entry is closed and the buyer asked to reopen it for an ordinary fault: denied, appealed, and ruled open.</summary>
    [Fact]
    public void A_ruling_on_an_appealed_reopen_denial_reopens_the_entry_naming_the_request_and_the_case_and_the_next_claim_is_approved()
    {
        var line = Line.Activated(CategoryPolicy.Plants, nationalMonths: 0, confirmedAt: "2024-04-01T09:00:00+08:00");
        var request = Line.Reopen("2024-06-01T10:00:00+08:00", FaultKind.QualityFault);
        line.Then(request);
        var now = At("2024-06-05T10:00:00+08:00");

        var events = line.When(new ApplyRuling("case-8", null, RulingDecision.ReopenEntry, now, request.Request.RequestId));

        var window = EntryDecisions.ReopenWindow(line.File.Calendar, now, line.Policy);
        Assert.Equal([new EntryReopened(ReopenGround.Ruling, window, request.Request, "case-8", now)], events);
        line.Given([.. events]);
        var claim = Line.Claim("2024-06-06T10:00:00+08:00", FaultKind.LongDiscoveryDefect, Remedy.Return);
        Assert.Equal(Outcome.Approved(CoverageKind.LongDiscovery, Remedy.Return, Answerer.Merchant, ShippingPayer.Merchant), Outcome.Of(line.When(claim)));
    }

    [Fact]
    public void Without_the_ruling_the_same_claim_finds_the_entry_closed()
    {
        var line = Line.Activated(CategoryPolicy.Plants, nationalMonths: 0, confirmedAt: "2024-04-01T09:00:00+08:00");
        line.Then(Line.Reopen("2024-06-01T10:00:00+08:00", FaultKind.QualityFault));

        var claim = Line.Claim("2024-06-06T10:00:00+08:00", FaultKind.LongDiscoveryDefect, Remedy.Return);

        Assert.Equal(Outcome.Rejected(RejectionReason.EntryClosed, reopenCanHelp: true, appealCanHelp: false), Outcome.Of(line.When(claim)));
    }

    [Fact]
    public void A_reopening_ruling_on_a_claim_names_the_claim_it_answered()
    {
        var (line, claimId) = AwaitingMerchant();
        line.Then(new RefuseClaim(claimId, "no", MerchantEvidence, At("2024-09-01T12:00:00+08:00")));
        var filing = line.File.ClaimById(claimId)!.Filing;
        var now = At("2024-09-05T10:00:00+08:00");

        var reopened = Assert.IsType<EntryReopened>(line.When(new ApplyRuling("case-6", claimId, RulingDecision.ReopenEntry, now))[0]);

        Assert.Equal((new ReopenRequest(claimId, filing.Claimant, filing.Fault, filing.Description), "case-6"), (reopened.Request, reopened.CaseId));
    }

    [Fact]
    public void A_claim_by_someone_who_did_not_buy_the_line_is_rejected_with_nothing_of_the_line_to_tell()
    {
        var line = Line.Activated();

        var rejected = Assert.IsType<ClaimRejected>(Assert.Single(line.When(Line.Claim("2024-01-12T09:00:00+08:00", buyer: "someone-else"))));

        Assert.Equal(RejectionReason.NotBuyer, rejected.Reason);
        Assert.False(ClaimDecisions.MayNameTheLine(rejected.Reason));
        Assert.True(ClaimDecisions.MayNameTheLine(RejectionReason.OutOfWarranty));
        Assert.False(EntryDecisions.MayNameTheLine(ReopenDenialReason.NotBuyer));
    }

    /// <summary>A buyer who files while a claim is open, a thousand times: the file keeps ids, not a thousand claims.</summary>
    [Fact]
    public void Claims_refused_outright_are_kept_by_id_alone_and_one_sent_again_changes_nothing()
    {
        var (line, claimId) = AwaitingMerchant();
        var again = Enumerable.Range(0, 1000).Select(i => Line.Claim(At(FiledAt).AddMinutes(i + 1).ToString("O"))).ToList();

        foreach (var claim in again)
            line.Then(claim);

        Assert.Equal((1, 1000), (line.File.Claims.Count, line.File.RefusedOutright.Count));
        Assert.Equal(claimId, Assert.Single(line.File.Claims).ClaimId);
        Assert.All(line.History.OfType<ClaimRejected>(), r => Assert.Equal(RejectionReason.ClaimAlreadyOpen, r.Reason));
        Assert.Empty(line.When(again[17]));
        Assert.Empty(line.When(new ApplyRuling("case-1", again[17].ClaimId, RulingDecision.Refund, At(FiledAt).AddDays(3))));
    }

    [Fact]
    public void A_reopening_ruling_on_an_open_claim_also_resolves_it()
    {
        var (line, claimId) = AwaitingMerchant();
        line.Then(new RefuseClaim(claimId, "no", MerchantEvidence, At("2024-09-01T12:00:00+08:00")));
        var now = At("2024-09-05T10:00:00+08:00");

        var events = line.When(new ApplyRuling("case-5", claimId, RulingDecision.ReopenEntry, now));

        Assert.Equal([typeof(EntryReopened), typeof(ClaimResolved)], events.Select(e => e.GetType()));
    }

    [Fact]
    public void Commands_about_a_claim_that_is_not_on_the_file_are_refused()
    {
        var line = Line.Activated();
        var stranger = Guid.NewGuid();

        line.Refused(new AcceptClaim(stranger, At(FiledAt)), WarrantyRefusalCode.UnknownClaim);
        line.Refused(new ApplyRuling("case-9", stranger, RulingDecision.Refund, At(FiledAt)), WarrantyRefusalCode.UnknownClaim);
    }

    [Fact]
    public void A_refund_ends_the_open_claim_and_refunds_the_plan_in_full_once()
    {
        var claim = Line.Claim("2025-06-01T10:00:00+08:00");
        var line = Line.Activated(plan: new ExtendedWarrantyPurchase(1, 199m, false)).Then(claim);
        Assert.True(line.File.ExtendedWarranty!.RepairPaidUnderPlan);
        var refundedAt = At("2025-06-02T10:00:00+08:00");

        var events = line.When(new RecordLineRefund(refundedAt));

        Assert.Equal(
            [
                new LineRefunded(refundedAt),
                new ClaimResolved(claim.ClaimId, ClaimResolution.LineRefunded, refundedAt),
                new ExtendedWarrantyCancelled(199m, CancellationGround.LineRefunded, 222, 365, refundedAt),
                new RefundInstructed(RefundInstructions.PlanRefundId(Line.Order, Line.LineId), PaymentReason.ExtendedWarrantyCancelled, 199m,
                    Payer.ExtendedWarrantyPlan, null, null, refundedAt),
            ],
            events);
        line.Given([.. events]);
        Assert.Empty(line.When(new RecordLineRefund(refundedAt.AddHours(1))));
    }
}
