using static Arbitration.Domain.Tests.CaseSpec;
using static Arbitration.Domain.Tests.Sample;

namespace Arbitration.Domain.Tests;

/// <summary>The money a ruling moves here: compensation, at the losing respondent's cost, once per case.</summary>
public class CompensationTests
{
    private static readonly CaseEvent.EvidenceSubmitted Answered = Submitted(CaseSide.Respondent, TheMerchant, OpenedAt.AddHours(2));
    private static readonly DateTimeOffset RuledAt = OpenedAt.AddHours(30);
    private static readonly Verdict Compensate = new Verdict.ForBuyer(new Remedy.Compensation(300.50m));
    private static readonly CaseEvent.CaseRuled Ruled = new(CaseId, Compensate, "Late and rude.", "arb-1", RuledAt);
    private static readonly CaseEvent.CompensationInstructed Instructed = new(CaseId, 300.50m, Merchant, RuledAt);
    private static readonly DateTimeOffset PaidAt = RuledAt.AddMinutes(3);

    [Fact]
    public void A_ruling_of_compensation_instructs_it_at_the_merchant_cost()
    {
        var state = Given(MerchantCase, Answered).When(Rule(Arbitrator, Compensate, RuledAt, "Late and rude.")).Then(Ruled, Instructed);

        Assert.Equal(new CompensationPayment(300.50m, Merchant, RuledAt, PaymentStatus.Instructed, null, null, null), state.Compensation);
    }

    [Fact]
    public void Compensation_against_the_platform_repair_operations_is_the_platform_cost() =>
        Given(Opened(EscalatedJob, RepairOperations), Submitted(CaseSide.Respondent, RepairOperator, OpenedAt.AddHours(1)))
            .When(Rule(Arbitrator, Compensate, RuledAt, "Late and rude."))
            .Then(Ruled, Instructed with { PaidBy = RepairOperations });

    [Theory]
    [MemberData(nameof(NoMoney))]
    public void Rulings_without_compensation_instruct_nothing_here(Verdict verdict) =>
        Given(MerchantCase, Answered).When(Rule(Arbitrator, verdict, RuledAt))
            .Then(new CaseEvent.CaseRuled(CaseId, verdict, "The photos show a factory defect.", "arb-1", RuledAt));

    public static TheoryData<Verdict> NoMoney =>
        [new Verdict.ForRespondent(), new Verdict.ForBuyer(new Remedy.Refund()), new Verdict.ForBuyer(new Remedy.Replacement())];

    [Fact]
    public void A_default_ruling_never_compensates() =>
        Given(MerchantCase).When(new CaseCommand.EnforceRespondentDeadline(CaseId, DeadlineAt))
            .Then(new CaseEvent.CaseRuled(CaseId, new Verdict.ForBuyer(new Remedy.Refund()),
                "The respondent (Merchant) did not answer by 2024-04-05T06:00:00.0000000+00:00; the case is decided for the buyer by default.", null, DeadlineAt));

    [Fact]
    public void The_ruling_sent_again_instructs_nothing_more_and_another_ruling_is_refused()
    {
        Given(MerchantCase, Answered, Ruled, Instructed).When(Rule(Arbitrator, Compensate, RuledAt.AddHours(1), "Late and rude.")).ThenNothing();
        Given(MerchantCase, Answered, Ruled, Instructed)
            .When(Rule(Arbitrator, new Verdict.ForBuyer(new Remedy.Compensation(500m)), RuledAt.AddHours(1), "More, on reflection."))
            .ThenRefused(CaseRefusalCode.CaseAlreadyRuled);
    }

    [Fact]
    public void A_confirmation_marks_it_paid_and_a_repeat_changes_nothing()
    {
        var state = Given(MerchantCase, Answered, Ruled, Instructed)
            .When(new CaseCommand.ConfirmPayment(CaseId, 300.50m, "CNY", "PAY-1", PaidAt, PaidAt.AddSeconds(1)))
            .Then(new CaseEvent.PaymentConfirmed(CaseId, "PAY-1", PaidAt, PaidAt.AddSeconds(1)));

        Assert.Equal((PaymentStatus.Paid, "PAY-1"), (state.Compensation!.Status, state.Compensation.PaymentReference));
        var paid = new CaseEvent.PaymentConfirmed(CaseId, "PAY-1", PaidAt, PaidAt);
        Given(MerchantCase, Answered, Ruled, Instructed, paid)
            .When(new CaseCommand.ConfirmPayment(CaseId, 300.50m, "CNY", "PAY-1", PaidAt, PaidAt.AddHours(1))).ThenNothing();
        Given(MerchantCase, Answered, Ruled, Instructed, paid)
            .When(new CaseCommand.RecordPaymentFailure(CaseId, 300.50m, "CNY", "bank down", PaidAt, PaidAt)).ThenRefused(CaseRefusalCode.PaymentAlreadyConfirmed);
    }

    [Fact]
    public void A_failure_shows_until_a_later_attempt_is_paid()
    {
        var failed = new CaseEvent.PaymentFailed(CaseId, "account frozen", PaidAt, PaidAt);
        var state = Given(MerchantCase, Answered, Ruled, Instructed)
            .When(new CaseCommand.RecordPaymentFailure(CaseId, 300.50m, "CNY", "account frozen", PaidAt, PaidAt)).Then(failed);
        Assert.Equal((PaymentStatus.Failed, "account frozen"), (state.Compensation!.Status, state.Compensation.FailureReason));

        Given(MerchantCase, Answered, Ruled, Instructed, failed)
            .When(new CaseCommand.ConfirmPayment(CaseId, 300.50m, "CNY", "PAY-2", PaidAt.AddDays(1), PaidAt.AddDays(1)))
            .Then(new CaseEvent.PaymentConfirmed(CaseId, "PAY-2", PaidAt.AddDays(1), PaidAt.AddDays(1)));
    }

    [Fact]
    public void An_answer_for_another_amount_or_no_compensation_is_refused()
    {
        Given(MerchantCase, Answered, Ruled, Instructed)
            .When(new CaseCommand.ConfirmPayment(CaseId, 300m, "CNY", "PAY-1", PaidAt, PaidAt)).ThenRefused(CaseRefusalCode.PaymentAmountMismatch);
        Given(MerchantCase, Answered, new CaseEvent.CaseRuled(CaseId, RefundBuyer, "Refund.", "arb-1", RuledAt))
            .When(new CaseCommand.ConfirmPayment(CaseId, 300.50m, "CNY", "PAY-1", PaidAt, PaidAt)).ThenRefused(CaseRefusalCode.UnknownPaymentInstruction);
        Given().When(new CaseCommand.ConfirmPayment(CaseId, 300.50m, "CNY", "PAY-1", PaidAt, PaidAt)).ThenRefused(CaseRefusalCode.UnknownPaymentInstruction);
    }

    [Fact]
    public void The_money_events_round_trip_through_json()
    {
        CaseEvent[] events = [Instructed, new CaseEvent.PaymentConfirmed(CaseId, "PAY-1", PaidAt, PaidAt), new CaseEvent.PaymentFailed(CaseId, "down", PaidAt, PaidAt)];

        foreach (var @event in events)
        {
            var json = Json.Of(@event);
            Assert.Equal(json, Json.Of(System.Text.Json.JsonSerializer.Deserialize<CaseEvent>(json)!));
        }
    }
}
