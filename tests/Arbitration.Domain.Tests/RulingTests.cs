using static Arbitration.Domain.Tests.CaseSpec;
using static Arbitration.Domain.Tests.Sample;

namespace Arbitration.Domain.Tests;

public class RulingTests
{
    private static readonly CaseEvent.EvidenceSubmitted Answered = Submitted(CaseSide.Respondent, TheMerchant, OpenedAt.AddHours(2));
    private static readonly CaseEvent.ArbitratorAssigned Assigned = new(CaseId, "arb-1", OpenedAt);
    private static readonly DateTimeOffset RuledAt = OpenedAt.AddHours(30);

    private static CaseEvent.CaseRuled Ruled(Verdict verdict, string arbitratorId = "arb-1", string rationale = "The photos show a factory defect.") =>
        new(CaseId, verdict, rationale, arbitratorId, RuledAt);

    [Fact]
    public void The_assigned_arbitrator_rules_for_the_buyer()
    {
        var state = Given(MerchantCase, Assigned, Answered).When(Rule(Arbitrator, RefundBuyer, RuledAt)).Then(Ruled(RefundBuyer));

        Assert.Equal(new Ruling(RefundBuyer, "The photos show a factory defect.", "arb-1", RuledAt), state.Ruling);
    }

    [Fact]
    public void The_assigned_arbitrator_rules_for_the_respondent() =>
        Given(MerchantCase, Assigned, Answered).When(Rule(Arbitrator, new Verdict.ForRespondent(), RuledAt))
            .Then(Ruled(new Verdict.ForRespondent()));

    public static TheoryData<string> BuyerRemedies => ["Refund", "Replacement", "RepairAtPlatformCost", "ReopenEntry", "Compensation"];

    private static readonly Dictionary<string, Remedy> Remedies = new()
    {
        ["Refund"] = new Remedy.Refund(),
        ["Replacement"] = new Remedy.Replacement(),
        ["RepairAtPlatformCost"] = new Remedy.RepairAtPlatformCost(),
        ["ReopenEntry"] = new Remedy.ReopenEntry(),
        ["Compensation"] = new Remedy.Compensation(88.5m),
    };

    [Theory]
    [MemberData(nameof(BuyerRemedies))]
    public void Every_remedy_for_the_buyer_may_be_ruled(string remedy) =>
        Given(MerchantCase, Assigned, Answered).When(Rule(Arbitrator, new Verdict.ForBuyer(Remedies[remedy]), RuledAt))
            .Then([
                Ruled(new Verdict.ForBuyer(Remedies[remedy])),
                .. Remedies[remedy] is Remedy.Compensation { Amount: var amount } ? [new CaseEvent.CompensationInstructed(CaseId, amount, Merchant, RuledAt)] : Array.Empty<CaseEvent>(),
            ]);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Compensation_must_be_above_zero(int amount) =>
        Given(MerchantCase, Assigned, Answered)
            .When(Rule(Arbitrator, new Verdict.ForBuyer(new Remedy.Compensation(amount)), RuledAt))
            .ThenRefused(CaseRefusalCode.InvalidCompensation);

    [Fact]
    public void A_ruling_for_the_buyer_without_a_remedy_is_refused() =>
        Given(MerchantCase, Assigned, Answered).When(Rule(Arbitrator, new Verdict.ForBuyer(null!), RuledAt))
            .ThenRefused(CaseRefusalCode.MissingField);

    [Fact]
    public void A_ruling_without_a_rationale_is_refused() =>
        Given(MerchantCase, Assigned, Answered).When(Rule(Arbitrator, RefundBuyer, RuledAt, rationale: "  "))
            .ThenRefused(CaseRefusalCode.MissingRationale);

    [Fact]
    public void A_second_ruling_is_refused_because_a_ruling_is_final() =>
        Given(MerchantCase, Assigned, Answered, Ruled(RefundBuyer))
            .When(Rule(Arbitrator, new Verdict.ForRespondent(), RuledAt.AddHours(1), "On reflection, no defect."))
            .ThenRefused(CaseRefusalCode.CaseAlreadyRuled);

    [Fact]
    public void The_same_ruling_delivered_again_changes_nothing() =>
        Given(MerchantCase, Assigned, Answered, Ruled(RefundBuyer))
            .When(Rule(Arbitrator, RefundBuyer, RuledAt.AddSeconds(4)))
            .ThenNothing();

    [Fact]
    public void A_ruling_after_a_default_ruling_is_refused() =>
        Given(MerchantCase, new CaseEvent.CaseRuled(CaseId, RefundBuyer, "default", null, DeadlineAt))
            .When(Rule(Arbitrator, RefundBuyer, DeadlineAt.AddHours(1)))
            .ThenRefused(CaseRefusalCode.CaseAlreadyRuled);

    [Theory]
    [InlineData(ActorRole.Buyer, BuyerId)]
    [InlineData(ActorRole.Merchant, MerchantId)]
    [InlineData(ActorRole.PlatformRepairOperations, "ops-3")]
    public void Only_an_arbitrator_may_rule(ActorRole role, string id) =>
        Given(MerchantCase, Assigned, Answered).When(Rule(new Actor(role, id), RefundBuyer, RuledAt))
            .ThenRefused(CaseRefusalCode.NotAnArbitrator);

    [Fact]
    public void Another_arbitrator_may_not_rule_on_an_assigned_case() =>
        Given(MerchantCase, Assigned, Answered).When(Rule(OtherArbitrator, RefundBuyer, RuledAt))
            .ThenRefused(CaseRefusalCode.NotTheAssignedArbitrator);

    [Fact]
    public void Any_arbitrator_may_rule_on_a_case_not_yet_assigned() =>
        Given(MerchantCase, Answered).When(Rule(OtherArbitrator, RefundBuyer, RuledAt)).Then(Ruled(RefundBuyer, "arb-2"));

    [Fact]
    public void No_ruling_before_the_respondent_answered_or_its_deadline_passed()
    {
        var refused = Given(MerchantCase, Assigned).When(Rule(Arbitrator, RefundBuyer, DeadlineAt.AddSeconds(-1)))
            .ThenRefused(CaseRefusalCode.RespondentStillHasTime);

        Assert.Equal(DeadlineAt, refused.RetryAt);
    }

    [Fact]
    public void An_arbitrator_may_rule_on_a_silent_respondent_once_its_deadline_passed() =>
        Given(MerchantCase, Assigned).When(Rule(Arbitrator, RefundBuyer, DeadlineAt))
            .Then(Ruled(RefundBuyer) with { RuledAt = DeadlineAt });

    [Fact]
    public void Every_event_round_trips_through_json_as_an_event_store_would_keep_it()
    {
        CaseEvent[] events =
        [
            MerchantCase, Opened(RejectedClaim, Merchant), Opened(DeniedReopen, Merchant), Opened(EscalatedJob, RepairOperations),
            Answered, Assigned, Ruled(new Verdict.ForBuyer(new Remedy.Compensation(12.3m))), Ruled(new Verdict.ForRespondent(), "arb-2"),
            new CaseEvent.CaseRuled(CaseId, new Verdict.ForBuyer(new Remedy.ReopenEntry()), "default", null, DeadlineAt),
        ];

        foreach (var @event in events)
        {
            var json = Json.Of(@event);
            var read = System.Text.Json.JsonSerializer.Deserialize<CaseEvent>(json);
            Assert.Equal(@event.GetType(), read!.GetType());
            Assert.Equal(json, Json.Of(read));
        }
    }
}
