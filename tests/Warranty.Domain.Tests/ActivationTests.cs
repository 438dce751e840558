using static Warranty.Domain.Tests.Time;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

public sealed class ActivationTests
{
    [Fact]
    public void Activation_records_the_line_d0_zone_coverages_and_entry()
    {
        var activated = Assert.IsType<WarrantyActivated>(Assert.Single(Line.New().When(Line.Activation())));

        Assert.Equal((Line.Order, Line.LineId, Line.Buyer, Line.Merchant, CategoryPolicy.Phones, "Asia/Shanghai"),
            (activated.OrderId, activated.LineId, activated.BuyerId, activated.MerchantId, activated.Category, activated.TimeZoneId));
        Assert.Equal(Day("2024-01-10"), activated.D0);
        Assert.Equal(At("2024-01-10T10:00:00+08:00"), activated.TransactionSucceededAt);
        // Phones are long-entry: 180 days after d0.
        Assert.Equal(Day("2024-07-08"), activated.BaseEntry.LastDay);
        Assert.True(activated.AfterSalesProtection);
    }

    [Fact]
    public void A_second_activation_for_the_same_line_changes_nothing()
    {
        var line = Line.Activated();

        Assert.Empty(line.When(Line.Activation()));
        Assert.Empty(line.When(Line.Activation(nationalMonths: 24, confirmedAt: "2024-02-01T10:00:00+08:00")));
    }

    [Fact]
    public void The_business_zone_comes_from_policy_and_is_kept_on_the_file()
    {
        var policy = WarrantyPolicy.Default with { BusinessTimeZoneId = "America/New_York" };
        // 2024-01-10T03:00Z is still 2024-01-09 in New York.
        var line = Line.Activated(confirmedAt: "2024-01-10T03:00:00Z", policy: policy);

        Assert.Equal("America/New_York", line.File.TimeZoneId);
        Assert.Equal(Day("2024-01-09"), line.File.D0);
        Assert.Equal(At("2024-01-09T00:00:00-05:00"), line.File.BaseEntry.Start);
    }

    [Theory]
    [InlineData(4, 100, "an extended warranty of 4 years; plans run 1, 2 or 3 years")]
    [InlineData(0, 100, "an extended warranty of 0 years; plans run 1, 2 or 3 years")]
    [InlineData(2, -1, "an extended warranty price of -1, below zero")]
    public void A_line_that_contradicts_the_rules_is_refused_with_a_readable_reason(int years, int price, string reason)
    {
        var events = Line.New().When(Line.Activation(plan: new ExtendedWarrantyPurchase(years, price, false)));

        var refused = Assert.IsType<WarrantyActivationRefused>(Assert.Single(events));
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_warranty_months_are_refused_and_the_same_refusal_is_not_repeated()
    {
        var line = Line.New().Then(Line.Activation(nationalMonths: -1, merchantMonths: -2));

        var refused = Assert.IsType<WarrantyActivationRefused>(Assert.Single(line.History));
        Assert.Equal("OrderCompleted line refused: manufacturerWarrantyMonths is -1, below zero; merchantWarrantyMonths is -2, below zero.", refused.Reason);
        Assert.Empty(line.When(Line.Activation(nationalMonths: -1, merchantMonths: -2)));
        Assert.IsType<WarrantyFile.NotActivated>(line.State);
    }

    [Fact]
    public void A_correct_activation_after_a_refused_one_activates()
    {
        var line = Line.New().Then(Line.Activation(nationalMonths: -1));

        Assert.IsType<WarrantyActivated>(Assert.Single(line.When(Line.Activation())));
    }

    [Fact]
    public void A_refund_that_arrives_before_the_activation_is_kept_and_cancels_the_plan_in_full()
    {
        var refundedAt = At("2024-01-09T12:00:00+08:00");
        var line = Line.New().Then(new RecordLineRefund(refundedAt));
        Assert.Equal([new LineRefunded(refundedAt)], line.History);

        var events = line.When(Line.Activation(plan: new ExtendedWarrantyPurchase(1, 199m, false)));

        Assert.IsType<WarrantyActivated>(events[0]);
        Assert.Equal(new ExtendedWarrantyCancelled(199m, CancellationGround.LineRefunded, 365, 365, refundedAt), events[1]);
        Assert.Equal(new RefundInstructed(RefundInstructions.PlanRefundId(Line.Order, Line.LineId), PaymentReason.ExtendedWarrantyCancelled, 199m,
            Payer.ExtendedWarrantyPlan, null, null, refundedAt), events[2]);
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public void A_duplicate_early_refund_changes_nothing()
    {
        var line = Line.New().Then(new RecordLineRefund(At("2024-01-09T12:00:00+08:00")));

        Assert.Empty(line.When(new RecordLineRefund(At("2024-01-09T12:05:00+08:00"))));
    }

    [Fact]
    public void Requests_on_a_line_that_has_not_completed_are_refused()
    {
        var line = Line.New();

        var refusal = line.Refused(Line.Claim("2024-01-12T10:00:00+08:00"), WarrantyRefusalCode.WarrantyNotActivated);
        Assert.Contains("no warranty file", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Activated_state_holds_the_plan_and_no_claims()
    {
        var file = Line.Activated(plan: new ExtendedWarrantyPurchase(3, 499m, true)).File;

        Assert.NotNull(file.ExtendedWarranty);
        Assert.Equal(new ExtendedWarrantyPurchase(3, 499m, true), file.ExtendedWarranty.Purchase);
        Assert.Equal(Day("2028-01-10"), file.ExtendedWarranty.Period.LastDay);
        Assert.False(file.ExtendedWarranty.RepairPaidUnderPlan);
        Assert.Empty(file.Claims);
        Assert.Null(file.OpenClaim);
    }
}
