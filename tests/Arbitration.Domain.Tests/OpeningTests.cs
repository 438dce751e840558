using static Arbitration.Domain.Tests.CaseSpec;
using static Arbitration.Domain.Tests.Sample;

namespace Arbitration.Domain.Tests;

public class OpeningTests
{
    [Fact]
    public void A_claim_refused_by_the_merchant_opens_a_case_the_merchant_answers_within_72_hours() =>
        Given().When(Open(RefusedClaim)).Then(Opened(RefusedClaim, Merchant));

    [Fact]
    public void An_appeal_of_a_rejected_claim_opens_a_case_the_merchant_answers() =>
        Given().When(Open(RejectedClaim)).Then(Opened(RejectedClaim, Merchant));

    [Fact]
    public void An_appeal_of_a_denied_reopen_opens_a_case_the_merchant_answers() =>
        Given().When(Open(DeniedReopen)).Then(Opened(DeniedReopen, Merchant));

    [Fact]
    public void An_escalated_repair_job_opens_a_case_the_platforms_repair_operations_answer() =>
        Given().When(Open(EscalatedJob)).Then(Opened(EscalatedJob, RepairOperations));

    [Fact]
    public void The_respondent_deadline_is_policy() =>
        Given(new ArbitrationPolicy { RespondentDeadline = TimeSpan.FromHours(24) })
            .When(Open(RefusedClaim))
            .Then(MerchantCase with { RespondentDeadlineAt = OpenedAt.AddHours(24) });

    [Fact]
    public void Opening_the_same_case_again_later_changes_nothing() =>
        Given(MerchantCase).When(Open(RefusedClaim) with { Now = OpenedAt.AddMinutes(5) }).ThenNothing();

    [Fact]
    public void Opening_the_same_case_with_a_refreshed_description_changes_nothing() =>
        Given(MerchantCase).When(Open(RefusedClaim) with { Item = Item with { Title = "Electric kettle 1.7 L (white)" } }).ThenNothing();

    [Fact]
    public void Opening_the_case_id_for_something_else_is_refused() =>
        Given(MerchantCase).When(Open(DeniedReopen)).ThenRefused(CaseRefusalCode.CaseAlreadyOpen);

    public static TheoryData<string, CaseCommand.OpenCase> Incomplete => new()
    {
        { "case id", Open(RefusedClaim) with { CaseId = Guid.Empty } },
        { "order", Open(RefusedClaim) with { OrderId = "" } },
        { "line", Open(RefusedClaim) with { LineId = " " } },
        { "buyer", Open(RefusedClaim) with { BuyerId = "" } },
        { "origin", Open(RefusedClaim) with { Origin = null! } },
        { "claim", Open(new CaseOrigin.ClaimRefusedByMerchant(Guid.Empty, MerchantId, ClaimRemedy.Return)) },
        { "merchant", Open(new CaseOrigin.ClaimRefusedByMerchant(ClaimId, "", ClaimRemedy.Return)) },
        { "remedy", Open(new CaseOrigin.ClaimRejected(ClaimId, MerchantId, (ClaimRemedy)7, "OutOfWarranty")) },
        { "merchant", Open(new CaseOrigin.ClaimRejected(ClaimId, " ", ClaimRemedy.Return, "OutOfWarranty")) },
        { "rejection reason", Open(new CaseOrigin.ClaimRejected(ClaimId, MerchantId, ClaimRemedy.Return, "")) },
        { "reopen request", Open(new CaseOrigin.ReopenDenied(Guid.Empty, MerchantId, "OutsideReopenablePeriods")) },
        { "merchant", Open(new CaseOrigin.ReopenDenied(RequestId, "", "OutsideReopenablePeriods")) },
        { "denial reason", Open(new CaseOrigin.ReopenDenied(RequestId, MerchantId, "")) },
        { "job", Open(new CaseOrigin.RepairJobEscalated(Guid.Empty, null)) },
        { "item", Open(RefusedClaim) with { Item = null! } },
        { "shipping region", Open(RefusedClaim) with { Item = Item with { ShippingRegion = "" } } },
        { "SKU", Open(RefusedClaim) with { Item = Item with { Sku = " " } } },
        { "title", Open(RefusedClaim) with { Item = Item with { Title = "" } } },
        { "category", Open(RefusedClaim) with { Item = Item with { Category = "" } } },
        { "brand", Open(RefusedClaim) with { Item = Item with { Brand = "" } } },
        { "fault description", Open(RefusedClaim) with { Item = Item with { FaultDescription = "" } } },
    };

    [Theory]
    [MemberData(nameof(Incomplete))]
    public void A_case_missing_a_required_field_does_not_open(string missing, CaseCommand.OpenCase open)
    {
        var refused = Given().When(open).ThenRefused(CaseRefusalCode.MissingField);

        Assert.Contains(missing, refused.Reason);
    }

    [Fact]
    public void A_command_for_a_case_that_is_not_open_is_refused()
    {
        Given().When(Evidence(TheBuyer, OpenedAt)).ThenRefused(CaseRefusalCode.CaseNotOpen);
        Given().When(new CaseCommand.AssignArbitrator(CaseId, "arb-1", OpenedAt)).ThenRefused(CaseRefusalCode.CaseNotOpen);
        Given().When(Rule(Arbitrator, RefundBuyer, OpenedAt)).ThenRefused(CaseRefusalCode.CaseNotOpen);
        Given().When(new CaseCommand.EnforceRespondentDeadline(CaseId, DeadlineAt)).ThenRefused(CaseRefusalCode.CaseNotOpen);
    }
}
