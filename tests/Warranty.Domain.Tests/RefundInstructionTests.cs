using static Warranty.Domain.Tests.Time;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

/// <summary>Which decisions of the file move money, how much, at whose cost, and that none moves it twice.</summary>
public sealed class RefundInstructionTests
{
    private const decimal Price = 4999.00m;
    private static readonly Guid LineRefund = RefundInstructions.LineRefundId(Line.Order, Line.LineId);
    private static readonly Guid PlanRefund = RefundInstructions.PlanRefundId(Line.Order, Line.LineId);
    private static readonly DateTimeOffset Filed = At("2024-01-12T10:00:00+08:00");

    /// <summary>A return claim inside the 7 days, accepted by its merchant: the goods are on their way back.</summary>
    private static (Line Line, Guid ClaimId) ReturnInService(Remedy asked = Remedy.Return)
    {
        var claim = Line.Claim("2024-01-12T10:00:00+08:00", asked: asked);
        var line = Line.Activated(amountPaid: Price).Then(claim).Then(new AcceptClaim(claim.ClaimId, Filed.AddHours(1)));
        return (line, claim.ClaimId);
    }

    [Fact]
    public void An_accepted_return_instructs_the_line_price_at_the_merchant_cost_once()
    {
        var (line, claimId) = ReturnInService();
        var at = Filed.AddDays(2);

        var events = line.When(new AcceptReturn(claimId, at));

        Assert.Equal(new RefundInstructed(LineRefund, PaymentReason.ReturnAccepted, Price, Payer.Merchant, claimId, null, at), events[^1]);
        line.Given([.. events]);
        Assert.Empty(line.When(new AcceptReturn(claimId, at.AddMinutes(5))));
        Assert.Equal(PaymentStatus.Instructed, Assert.Single(line.File.Payments).Status);
    }

    [Fact]
    public void Goods_taken_back_for_a_replacement_move_no_money()
    {
        var (line, claimId) = ReturnInService(Remedy.Replacement);

        var events = line.When(new AcceptReturn(claimId, Filed.AddDays(2)));

        Assert.Equal(ClaimResolution.ReturnAccepted, Assert.IsType<ClaimResolved>(Assert.Single(events)).How);
    }

    [Fact]
    public void A_ruling_refund_is_paid_by_the_respondent_and_a_second_case_gives_the_price_back_no_more()
    {
        var (line, claimId) = ReturnInService();
        var ruled = Filed.AddDays(5);

        var events = line.When(new ApplyRuling("case-1", claimId, RulingDecision.Refund, ruled, LoserPays: Payer.Platform));

        Assert.Equal(new RefundInstructed(LineRefund, PaymentReason.RulingRefund, Price, Payer.Platform, claimId, "case-1", ruled), events[^1]);
        line.Given([.. events]);
        Assert.Empty(line.When(new ApplyRuling("case-1", claimId, RulingDecision.Refund, ruled.AddHours(1))));
        // A later case on the line (a repair the first ruling ordered failed, and was escalated) orders the refund again.
        Assert.DoesNotContain(line.When(new ApplyRuling("case-2", claimId, RulingDecision.Refund, ruled.AddDays(9))), e => e is RefundInstructed);
        Assert.Empty(line.When(new AcceptReturn(claimId, ruled.AddDays(10))));
    }

    [Theory]
    [InlineData(RulingDecision.ForRespondent)]
    [InlineData(RulingDecision.Replacement)]
    [InlineData(RulingDecision.Repair)]
    [InlineData(RulingDecision.Compensation)]
    public void Other_rulings_move_no_money_here(RulingDecision decision)
    {
        var (line, claimId) = ReturnInService();

        Assert.DoesNotContain(line.When(new ApplyRuling("case-1", claimId, decision, Filed.AddDays(5))), e => e is RefundInstructed);
    }

    [Fact]
    public void A_line_the_trade_system_refunded_itself_is_not_refunded_again_but_its_plan_is()
    {
        var line = Line.Activated(amountPaid: Price, plan: new ExtendedWarrantyPurchase(1, 199m, false));
        var refundedAt = At("2024-02-01T10:00:00+08:00");

        var events = line.When(new RecordLineRefund(refundedAt));

        Assert.Equal(new RefundInstructed(PlanRefund, PaymentReason.ExtendedWarrantyCancelled, 199m, Payer.ExtendedWarrantyPlan, null, null, refundedAt),
            events[^1]);
        line.Given([.. events]);
        Assert.Empty(line.When(new ApplyRuling("case-1", null, RulingDecision.Refund, refundedAt.AddDays(3))));
    }

    [Fact]
    public void A_cancelled_plan_instructs_its_refund_at_the_plan_cost()
    {
        var line = Line.Activated(amountPaid: Price, plan: new ExtendedWarrantyPurchase(1, 199m, false));
        var now = At("2025-07-01T10:00:00+08:00");

        var events = line.When(new CancelExtendedWarranty(now));

        Assert.Equal(new RefundInstructed(PlanRefund, PaymentReason.ExtendedWarrantyCancelled, 105.22m, Payer.ExtendedWarrantyPlan, null, null, now),
            events[^1]);
    }

    [Fact]
    public void A_plan_cancelled_for_nothing_instructs_nothing()
    {
        var line = Line.Activated(amountPaid: Price, plan: new ExtendedWarrantyPurchase(1, 199m, false), nationalMonths: 0, confirmedAt: "2024-01-10T10:00:00+08:00");
        line.Then(Line.Claim("2025-03-01T10:00:00+08:00"));

        var events = line.When(new CancelExtendedWarranty(At("2025-03-02T10:00:00+08:00")));

        Assert.Equal(0m, Assert.IsType<ExtendedWarrantyCancelled>(Assert.Single(events)).Refund);
    }

    [Fact]
    public void A_confirmation_marks_the_refund_paid_and_a_repeat_changes_nothing()
    {
        var line = Instructed();
        var paidAt = Filed.AddDays(3);

        var events = line.When(new ConfirmPayment(LineRefund, Price, "CNY", "RF-1", paidAt, paidAt.AddSeconds(2)));

        Assert.Equal([new PaymentConfirmed(LineRefund, "RF-1", paidAt, paidAt.AddSeconds(2))], events);
        line.Given([.. events]);
        Assert.Equal((PaymentStatus.Paid, "RF-1", paidAt), (line.File.Payments[0].Status, line.File.Payments[0].PaymentReference, line.File.Payments[0].SettledAt));
        Assert.Empty(line.When(new ConfirmPayment(LineRefund, Price, "CNY", "RF-1", paidAt, paidAt.AddMinutes(1))));
        line.Refused(new RecordPaymentFailure(LineRefund, Price, "CNY", "bank down", paidAt, paidAt), WarrantyRefusalCode.PaymentAlreadyConfirmed);
    }

    [Fact]
    public void A_failure_shows_until_a_later_attempt_is_confirmed()
    {
        var line = Instructed();
        var failedAt = Filed.AddDays(3);

        line.Then(new RecordPaymentFailure(LineRefund, Price, "CNY", "account frozen", failedAt, failedAt));
        Assert.Equal((PaymentStatus.Failed, "account frozen"), (line.File.Payments[0].Status, line.File.Payments[0].FailureReason));
        Assert.Empty(line.When(new RecordPaymentFailure(LineRefund, Price, "CNY", "account frozen", failedAt, failedAt.AddMinutes(1))));

        line.Then(new ConfirmPayment(LineRefund, Price, "CNY", "RF-2", failedAt.AddDays(1), failedAt.AddDays(1)));
        Assert.Equal((PaymentStatus.Paid, null), (line.File.Payments[0].Status, line.File.Payments[0].FailureReason));
    }

    [Fact]
    public void An_answer_for_another_amount_or_no_instruction_of_the_line_is_refused()
    {
        var line = Instructed();
        var now = Filed.AddDays(3);

        line.Refused(new ConfirmPayment(LineRefund, Price - 1, "CNY", "RF-1", now, now), WarrantyRefusalCode.PaymentAmountMismatch);
        line.Refused(new ConfirmPayment(LineRefund, Price, "USD", "RF-1", now, now), WarrantyRefusalCode.PaymentAmountMismatch);
        line.Refused(new ConfirmPayment(PlanRefund, Price, "CNY", "RF-1", now, now), WarrantyRefusalCode.UnknownPaymentInstruction);
        Line.New().Refused(new ConfirmPayment(LineRefund, Price, "CNY", "RF-1", now, now), WarrantyRefusalCode.UnknownPaymentInstruction);
    }

    [Fact]
    public void Instruction_ids_are_the_same_for_the_same_line_and_differ_between_lines_and_purposes()
    {
        Assert.Equal(LineRefund, RefundInstructions.LineRefundId(Line.Order, Line.LineId));
        Assert.NotEqual(LineRefund, PlanRefund);
        Assert.NotEqual(LineRefund, RefundInstructions.LineRefundId(Line.Order, "line-2"));
        Assert.NotEqual(RefundInstructions.LineRefundId("a/b", "c"), RefundInstructions.LineRefundId("a", "b/c"));
    }

    private static Line Instructed()
    {
        var (line, claimId) = ReturnInService();
        return line.Then(new AcceptReturn(claimId, Filed.AddDays(2)));
    }
}
