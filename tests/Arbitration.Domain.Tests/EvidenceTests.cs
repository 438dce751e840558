using static Arbitration.Domain.Tests.CaseSpec;
using static Arbitration.Domain.Tests.Sample;

namespace Arbitration.Domain.Tests;

public class EvidenceTests
{
    [Fact]
    public void The_buyer_adds_evidence_to_its_case()
    {
        var state = Given(MerchantCase).When(Evidence(TheBuyer, OpenedAt.AddHours(1)))
            .Then(Submitted(CaseSide.Buyer, TheBuyer, OpenedAt.AddHours(1)));

        Assert.Equal(CaseStatus.AwaitingRespondent, state.Status);
    }

    [Fact]
    public void The_merchant_respondent_answers_with_evidence()
    {
        var state = Given(MerchantCase).When(Evidence(TheMerchant, OpenedAt.AddHours(5)))
            .Then(Submitted(CaseSide.Respondent, TheMerchant, OpenedAt.AddHours(5)));

        Assert.Equal(OpenedAt.AddHours(5), state.RespondentAnsweredAt);
        Assert.Equal(CaseStatus.AwaitingRuling, state.Status);
    }

    [Fact]
    public void The_merchant_answers_an_appeal_of_a_rejected_claim() =>
        Given(Opened(RejectedClaim, Merchant)).When(Evidence(TheMerchant, OpenedAt))
            .Then(Submitted(CaseSide.Respondent, TheMerchant, OpenedAt));

    [Fact]
    public void Repair_operations_answer_for_an_escalated_job() =>
        Given(Opened(EscalatedJob, RepairOperations)).When(Evidence(RepairOperator, OpenedAt))
            .Then(Submitted(CaseSide.Respondent, RepairOperator, OpenedAt));

    public static TheoryData<string> Strangers => ["another buyer", "another merchant", "repair operations on a merchant's case", "an arbitrator"];

    private static readonly Dictionary<string, Actor> StrangerActors = new()
    {
        ["another buyer"] = new Actor(ActorRole.Buyer, "buyer-2"),
        ["another merchant"] = new Actor(ActorRole.Merchant, "merchant-2"),
        ["repair operations on a merchant's case"] = RepairOperator,
        ["an arbitrator"] = Arbitrator,
    };

    [Theory]
    [MemberData(nameof(Strangers))]
    public void A_party_not_on_the_case_may_not_submit_evidence(string stranger)
    {
        var refused = Given(MerchantCase).When(Evidence(StrangerActors[stranger], OpenedAt))
            .ThenRefused(CaseRefusalCode.NotAParty);

        Assert.DoesNotContain(MerchantId, refused.Reason);
        Assert.DoesNotContain(BuyerId, refused.Reason);
    }

    [Fact]
    public void A_merchant_may_not_answer_a_case_the_platforms_repair_operations_answer() =>
        Given(Opened(EscalatedJob, RepairOperations)).When(Evidence(TheMerchant, OpenedAt)).ThenRefused(CaseRefusalCode.NotAParty);

    [Fact]
    public void A_stranger_learns_nothing_even_of_a_ruled_case() =>
        Given(MerchantCase, new CaseEvent.CaseRuled(CaseId, RefundBuyer, "r", "arb-1", DeadlineAt))
            .When(Evidence(new Actor(ActorRole.Buyer, "buyer-2"), DeadlineAt))
            .ThenRefused(CaseRefusalCode.NotAParty);

    [Fact]
    public void Evidence_without_a_statement_is_refused() =>
        Given(MerchantCase).When(Evidence(TheBuyer, OpenedAt, statement: " ")).ThenRefused(CaseRefusalCode.MissingField);

    [Fact]
    public void Evidence_with_an_empty_link_is_refused() =>
        Given(MerchantCase).When(Evidence(TheBuyer, OpenedAt) with { Links = ["https://evidence.example/1.jpg", ""] })
            .ThenRefused(CaseRefusalCode.MissingField);

    [Fact]
    public void A_statement_without_links_is_evidence() =>
        Given(MerchantCase).When(Evidence(TheBuyer, OpenedAt) with { Links = [] })
            .Then(Submitted(CaseSide.Buyer, TheBuyer, OpenedAt) with { Links = [] });

    [Fact]
    public void The_same_evidence_submitted_again_changes_nothing() =>
        Given(MerchantCase, Submitted(CaseSide.Buyer, TheBuyer, OpenedAt))
            .When(Evidence(TheBuyer, OpenedAt.AddSeconds(3)) with { Links = ["https://evidence.example/1.jpg"] })
            .ThenNothing();

    [Fact]
    public void A_respondent_silent_past_its_deadline_may_no_longer_answer()
    {
        var refused = Given(MerchantCase).When(Evidence(TheMerchant, DeadlineAt.AddSeconds(1)))
            .ThenRefused(CaseRefusalCode.RespondentDeadlinePassed);

        Assert.Null(refused.RetryAt);
    }

    [Fact]
    public void A_respondent_answers_in_time_up_to_its_deadline() =>
        Given(MerchantCase).When(Evidence(TheMerchant, DeadlineAt))
            .Then(Submitted(CaseSide.Respondent, TheMerchant, DeadlineAt));

    [Fact]
    public void A_respondent_that_answered_may_add_evidence_after_the_deadline() =>
        Given(MerchantCase, Submitted(CaseSide.Respondent, TheMerchant, OpenedAt))
            .When(Evidence(TheMerchant, DeadlineAt.AddHours(1), "Here is the courier's report."))
            .Then(Submitted(CaseSide.Respondent, TheMerchant, DeadlineAt.AddHours(1), "Here is the courier's report."));

    [Fact]
    public void The_buyer_may_add_evidence_after_the_respondents_deadline() =>
        Given(MerchantCase).When(Evidence(TheBuyer, DeadlineAt.AddHours(1)))
            .Then(Submitted(CaseSide.Buyer, TheBuyer, DeadlineAt.AddHours(1)));

    [Fact]
    public void Buyer_evidence_does_not_count_as_the_respondents_answer()
    {
        var state = Given(MerchantCase).When(Evidence(TheBuyer, OpenedAt)).Then(Submitted(CaseSide.Buyer, TheBuyer, OpenedAt));

        Assert.Null(state.RespondentAnsweredAt);
    }

    [Fact]
    public void Evidence_after_the_ruling_is_refused() =>
        Given(MerchantCase, new CaseEvent.CaseRuled(CaseId, RefundBuyer, "r", "arb-1", DeadlineAt))
            .When(Evidence(TheBuyer, DeadlineAt.AddHours(1)))
            .ThenRefused(CaseRefusalCode.CaseAlreadyRuled);
}
