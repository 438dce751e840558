using static Order.Domain.Tests.OrderSpec;
using static Order.Domain.Tests.Sample;

namespace Order.Domain.Tests;

public class ContradictionTests
{
    private static readonly Dictionary<string, TradeEvent.OrderPlaced> Contradictions = new()
    {
        ["missing order id"] = Placed with { OrderId = "" },
        ["missing buyer"] = Placed with { BuyerId = " " },
        ["missing merchant"] = Placed with { MerchantId = "" },
        ["missing region"] = Placed with { RegionCode = "" },
        ["no lines"] = Placed with { Lines = [] },
        ["missing line id"] = Placed with { Lines = [Phone with { LineId = "" }] },
        ["missing SKU"] = Placed with { Lines = [Phone with { Sku = "" }] },
        ["missing title"] = Placed with { Lines = [Phone with { Title = "" }] },
        ["missing category"] = Placed with { Lines = [Phone with { Category = "" }] },
        ["missing brand under a national warranty"] = Placed with { Lines = [Phone with { Brand = "" }] },
        ["negative unit price"] = Placed with { Lines = [Phone with { UnitPrice = -0.01m }, Cover] },
        ["zero quantity"] = Placed with { Lines = [Phone, Cover with { Quantity = 0 }] },
        ["negative national warranty months"] = Placed with { Lines = [Phone with { ManufacturerWarrantyMonths = -1 }] },
        ["negative merchant warranty months"] = Placed with { Lines = [Cover with { MerchantWarrantyMonths = -6 }] },
        ["extended plan of 4 years"] = Placed with { Lines = [Phone with { ExtendedWarranty = new(4, 199m, false) }] },
        ["extended plan of 0 years"] = Placed with { Lines = [Phone with { ExtendedWarranty = new(0, 199m, false) }] },
        ["negative extended warranty price"] = Placed with { Lines = [Phone with { ExtendedWarranty = new(2, -1m, true) }] },
        ["one line id twice"] = Placed with { Lines = [Phone, Cover with { LineId = "L1" }] },
    };

    [Theory]
    [InlineData("missing order id", OrderRefusalCode.MissingField)]
    [InlineData("missing buyer", OrderRefusalCode.MissingField)]
    [InlineData("missing merchant", OrderRefusalCode.MissingField)]
    [InlineData("missing region", OrderRefusalCode.MissingField)]
    [InlineData("no lines", OrderRefusalCode.MissingField)]
    [InlineData("missing line id", OrderRefusalCode.MissingField)]
    [InlineData("missing SKU", OrderRefusalCode.MissingField)]
    [InlineData("missing title", OrderRefusalCode.MissingField)]
    [InlineData("missing category", OrderRefusalCode.MissingField)]
    [InlineData("missing brand under a national warranty", OrderRefusalCode.MissingField)]
    [InlineData("negative unit price", OrderRefusalCode.InvalidAmount)]
    [InlineData("zero quantity", OrderRefusalCode.InvalidQuantity)]
    [InlineData("negative national warranty months", OrderRefusalCode.InvalidWarrantyMonths)]
    [InlineData("negative merchant warranty months", OrderRefusalCode.InvalidWarrantyMonths)]
    [InlineData("extended plan of 4 years", OrderRefusalCode.InvalidExtendedWarrantyPlan)]
    [InlineData("extended plan of 0 years", OrderRefusalCode.InvalidExtendedWarrantyPlan)]
    [InlineData("negative extended warranty price", OrderRefusalCode.InvalidAmount)]
    [InlineData("one line id twice", OrderRefusalCode.DuplicateLineId)]
    public void An_OrderPlaced_that_contradicts_itself_is_refused(string contradiction, OrderRefusalCode code) =>
        Given().When(Contradictions[contradiction]).ThenRefused(code);

    [Fact]
    public void The_refusal_names_the_order_line_and_the_offending_value()
    {
        var refused = Given().When(Contradictions["extended plan of 4 years"])
            .ThenRefused(OrderRefusalCode.InvalidExtendedWarrantyPlan);

        Assert.Equal(
            "order TB-1001, line L1: an extended warranty plan of 4 years is not offered (plans offered: 1, 2, 3 years)",
            refused.Reason);
    }

    [Fact]
    public void A_line_without_a_brand_is_fine_when_no_brand_answers_for_it() =>
        Given().When(Placed with { Lines = [Cover] }).Then(WasPlaced with { Lines = [Cover] });

    [Fact]
    public void A_free_line_is_fine() =>
        Given().When(Placed with { Lines = [Cover with { UnitPrice = 0m }] })
            .Then(WasPlaced with { Lines = [Cover with { UnitPrice = 0m }] });

    [Fact]
    public void A_second_different_OrderPlaced_is_refused_and_the_first_stands()
    {
        var different = Placed with { Lines = [Phone with { Quantity = 2 }, Cover] };

        var refused = GivenArrived(Placed, Paid).When(different).ThenRefused(OrderRefusalCode.ConflictingOrderPlaced);

        Assert.Contains("the first OrderPlaced stands", refused.Reason);
    }

    [Fact]
    public void A_second_OrderPlaced_with_equal_content_in_new_lists_is_a_duplicate() =>
        GivenArrived(Placed).When(Placed with { Lines = [Phone with { }, Cover with { }] }).ThenNothing();

    [Fact]
    public void An_event_with_a_different_time_than_the_one_recorded_is_refused()
    {
        var refused = GivenArrived(Placed, Shipped).When(Shipped with { ShippedAt = ShippedAt.AddMinutes(1) })
            .ThenRefused(OrderRefusalCode.ConflictingTradeEvent);

        Assert.Contains("the first stands", refused.Reason);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void A_refund_that_is_not_above_zero_is_refused_whether_the_order_is_known_or_not(int amount)
    {
        var refund = PhoneRefund with { Amount = amount };

        Given().When(refund).ThenRefused(OrderRefusalCode.InvalidAmount);
        GivenArrived(Placed).When(refund).ThenRefused(OrderRefusalCode.InvalidAmount);
    }

    [Fact]
    public void A_refund_without_its_id_is_refused() =>
        GivenArrived(Placed).When(PhoneRefund with { RefundId = "" }).ThenRefused(OrderRefusalCode.MissingField);

    [Fact]
    public void A_refund_without_a_line_is_refused() =>
        Given().When(PhoneRefund with { LineId = "" }).ThenRefused(OrderRefusalCode.MissingField);

    [Fact]
    public void A_refund_naming_an_unknown_line_is_refused() =>
        GivenArrived(Placed).When(PhoneRefund with { LineId = "L9" }).ThenRefused(OrderRefusalCode.UnknownLine);

    [Fact]
    public void A_refund_above_what_was_paid_for_the_line_is_refused()
    {
        var refused = GivenArrived(Placed).When(CoverRefund with { Amount = 50.01m })
            .ThenRefused(OrderRefusalCode.RefundExceedsAmountPaid);

        Assert.Equal(
            "refund R2 of 50.01 yuan would bring line L2 to 50.01 yuan refunded, more than the 50 yuan paid for it",
            refused.Reason);
    }

    [Fact]
    public void Refunds_of_one_line_may_not_add_up_to_more_than_was_paid_for_it() =>
        GivenArrived(Placed, CoverRefund with { Amount = 30m })
            .When(CoverRefund with { RefundId = "R3", Amount = 20.01m })
            .ThenRefused(OrderRefusalCode.RefundExceedsAmountPaid);

    [Fact]
    public void A_refund_id_seen_before_with_another_amount_is_refused() =>
        GivenArrived(Placed, PhoneRefund).When(PhoneRefund with { Amount = 301m })
            .ThenRefused(OrderRefusalCode.ConflictingTradeEvent);
}
