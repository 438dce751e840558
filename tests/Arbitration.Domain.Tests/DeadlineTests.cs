using Platform.Domain;
using static Arbitration.Domain.Tests.CaseSpec;
using static Arbitration.Domain.Tests.Sample;

namespace Arbitration.Domain.Tests;

public class DeadlineTests
{
    private static CaseCommand.EnforceRespondentDeadline Deadline(DateTimeOffset now) => new(CaseId, now);

    private static CaseEvent.CaseRuled DefaultRuling(Remedy remedy, string respondent) => new(
        CaseId,
        new Verdict.ForBuyer(remedy),
        $"The respondent ({respondent}) did not answer by {DeadlineAt:O}; the case is decided for the buyer by default.",
        null,
        DeadlineAt);

    public static TheoryData<string> Origins => ["refused return", "refused replacement", "refused repair", "rejected claim", "denied reopen", "escalated job", "escalated job a ruling ordered"];

    private static readonly Dictionary<string, (CaseEvent.CaseOpened Opened, Remedy Remedy, string Respondent)> ByOrigin = new()
    {
        ["refused return"] = (MerchantCase, new Remedy.Refund(), "Merchant"),
        ["refused replacement"] = (
            Opened(new CaseOrigin.ClaimRefusedByMerchant(ClaimId, MerchantId, ClaimRemedy.Replacement), Merchant),
            new Remedy.Replacement(), "Merchant"),
        ["refused repair"] = (
            Opened(new CaseOrigin.ClaimRefusedByMerchant(ClaimId, MerchantId, ClaimRemedy.Repair), Merchant),
            new Remedy.RepairAtPlatformCost(), "Merchant"),
        ["rejected claim"] = (Opened(RejectedClaim, Merchant), new Remedy.Replacement(), "Merchant"),
        ["denied reopen"] = (Opened(DeniedReopen, Merchant), new Remedy.ReopenEntry(), "Merchant"),
        ["escalated job"] = (Opened(EscalatedJob, RepairOperations), new Remedy.RepairAtPlatformCost(), "PlatformRepairOperations"),
        // The repair a ruling ordered failed as well: ordering it again would loop through escalation for ever.
        ["escalated job a ruling ordered"] = (
            Opened(new CaseOrigin.RepairJobEscalated(JobId, ClaimId, RulingCaseId: Guid.NewGuid()), RepairOperations),
            new Remedy.Refund(), "PlatformRepairOperations"),
    };

    [Theory]
    [MemberData(nameof(Origins))]
    public void A_silent_respondent_loses_by_default_with_the_remedy_the_origin_calls_for(string origin)
    {
        var (opened, remedy, respondent) = ByOrigin[origin];

        var state = Given(opened, Submitted(CaseSide.Buyer, TheBuyer, OpenedAt)).When(Deadline(DeadlineAt))
            .Then(DefaultRuling(remedy, respondent));

        Assert.Equal(CaseStatus.Ruled, state.Status);
    }

    [Fact]
    public void A_late_deadline_rules_as_of_the_deadline() =>
        Given(MerchantCase).When(Deadline(DeadlineAt.AddHours(9))).Then(DefaultRuling(new Remedy.Refund(), "Merchant"));

    [Fact]
    public void An_early_deadline_is_refused_with_the_time_to_retry()
    {
        var refused = Given(MerchantCase).When(Deadline(DeadlineAt.AddSeconds(-1)))
            .ThenRefused(CaseRefusalCode.DeadlineNotReached);

        Assert.Equal(DeadlineAt, refused.RetryAt);
    }

    [Fact]
    public void The_deadline_changes_nothing_once_the_respondent_answered() =>
        Given(MerchantCase, Submitted(CaseSide.Respondent, TheMerchant, OpenedAt.AddHours(70)))
            .When(Deadline(DeadlineAt))
            .ThenNothing();

    [Fact]
    public void The_deadline_changes_nothing_once_the_case_is_ruled() =>
        Given(MerchantCase, Submitted(CaseSide.Respondent, TheMerchant, OpenedAt),
                new CaseEvent.CaseRuled(CaseId, new Verdict.ForRespondent(), "No defect.", "arb-1", OpenedAt.AddHours(1)))
            .When(Deadline(DeadlineAt))
            .ThenNothing();

    [Fact]
    public void A_deadline_delivered_twice_has_one_effect()
    {
        var first = Given(MerchantCase).When(Deadline(DeadlineAt));
        var afterFirst = first.Then(DefaultRuling(new Remedy.Refund(), "Merchant"));

        var second = CaseDecider.Decide(Deadline(DeadlineAt.AddSeconds(2)), afterFirst, ArbitrationPolicy.Default);

        Assert.Empty(Assert.IsType<Decision<CaseEvent>.Accepted>(second).Events);
    }
}
