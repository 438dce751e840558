using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Payments.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Domain;
using Payer = Platform.Contracts.Payments.V1.Payer;
using PaymentReason = Platform.Contracts.Payments.V1.PaymentReason;
using Warranty.Service.Features.SettlePayment;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>Refunds the Warranty service decides, as the trade system sees them on the bus, and its answers as the API shows them.</summary>
public sealed class PaymentTests : WarrantyServiceTest
{
    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
        await probe.Observe<Contract.ClaimResolved>();
        await probe.Observe<RefundInstructed>();
    }

    /// <summary>A shirt two days after d0, returned as dead on arrival and taken back by its merchant.</summary>
    private async Task<(string OrderId, Guid ClaimId, HttpClient Buyer)> ReturnedShirt()
    {
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-2),
            Line("line-1", "clothing", nationalMonths: 0) with { UnitPrice = 129.90m, Quantity = 2 }));
        var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "DeadOnArrival", "Return"))).Read<ClaimView>();
        using var shop = warranty.As(PlatformRoles.Merchant, merchant);
        await (await shop.PostAsync($"/claims/{claim.ClaimId}/accept", null)).Read<ClaimView>();
        await (await shop.PostAsync($"/claims/{claim.ClaimId}/return-accepted", null)).Read<ClaimView>();
        return (orderId, claim.ClaimId, client);
    }

    private static PaymentConfirmed Confirmation(RefundInstructed instruction, decimal? amount = null) => new()
    {
        InstructionId = instruction.InstructionId,
        OrderId = instruction.OrderId,
        LineId = instruction.LineId,
        Amount = amount ?? instruction.Amount,
        Currency = instruction.Currency,
        PaymentReference = $"RF-{instruction.InstructionId:N}",
        PaidAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task An_accepted_return_instructs_one_refund_of_the_line_price_and_its_confirmation_shows_it_paid()
    {
        var (orderId, claimId, buyer) = await ReturnedShirt();

        var instruction = await probe.WaitFor<RefundInstructed>(m => m.OrderId == orderId, Wait, "the return's refund is instructed");
        Assert.Equal((259.80m, "CNY", PaymentReason.ReturnAccepted, Payer.Merchant, claimId, "line-1"),
            (instruction.Amount, instruction.Currency, instruction.Reason, instruction.PaidBy, instruction.ClaimId, instruction.LineId));
        Assert.Equal(RefundInstructions.LineRefundId(orderId, "line-1"), instruction.InstructionId);
        var before = await (await buyer.GetAsync($"/claims/{claimId}")).Read<ClaimView>();
        Assert.Equal((PaymentStatus.Instructed, 259.80m), (before.Refund!.Status, before.Refund.Amount));

        var confirmation = Confirmation(instruction);
        await probe.Send(PaymentResultConsumer.Queue, confirmation);

        await Eventually.Until(async () => (await (await buyer.GetAsync($"/claims/{claimId}")).Read<ClaimView>()).Refund!.Status == PaymentStatus.Paid,
            Wait, "the claim shows its refund paid");
        var line = await (await buyer.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>();
        var paid = Assert.Single(line.Payments);
        Assert.Equal((PaymentStatus.Paid, confirmation.PaymentReference), (paid.Status, paid.PaymentReference));
        Assert.Single(probe.Received<RefundInstructed>(), o => o.Message.OrderId == orderId);
    }

    [Fact]
    public async Task A_repeated_confirmation_changes_nothing_and_one_for_another_amount_or_no_instruction_is_refused_and_kept()
    {
        var (orderId, claimId, buyer) = await ReturnedShirt();
        var instruction = await probe.WaitFor<RefundInstructed>(m => m.OrderId == orderId, Wait, "the return's refund is instructed");
        var confirmation = Confirmation(instruction);
        await probe.Send(PaymentResultConsumer.Queue, confirmation);
        await Eventually.Until(async () => (await (await buyer.GetAsync($"/claims/{claimId}")).Read<ClaimView>()).Refund!.Status == PaymentStatus.Paid,
            Wait, "the refund is paid");
        var database = await env.Database(WarrantyService.Name);
        var stream = WarrantyFileStream.StreamId(orderId, "line-1");
        var events = await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", stream);

        // The trade system sends its confirmation again, as a new message: the inbox does not know it, the file does.
        var repeatId = Guid.NewGuid();
        await probe.Send(PaymentResultConsumer.Queue, confirmation with { PaymentReference = "RF-sent-again", PaidAt = DateTimeOffset.UtcNow }, repeatId);
        var wrongAmount = Guid.NewGuid();
        await probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction, instruction.Amount + 100m), wrongAmount);
        var unknown = Guid.NewGuid();
        await probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction) with { InstructionId = unknown });

        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from inbox where message_id = any($1)", new[] { repeatId, wrongAmount }) == 2,
            Wait, "the repeat and the wrong amount are consumed");
        Assert.Equal(events, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", stream));
        var refund = (await (await buyer.GetAsync($"/claims/{claimId}")).Read<ClaimView>()).Refund!;
        Assert.Equal((PaymentStatus.Paid, confirmation.PaymentReference, instruction.Amount), (refund.Status, refund.PaymentReference, refund.Amount));

        using var operatorClient = warranty.As(PlatformRoles.Operator, "sre-1");
        await Eventually.Until(async () => (await operatorClient.GetStringAsync("/operations/refusals")).Contains(unknown.ToString(), StringComparison.Ordinal),
            Wait, "the confirmation of no instruction is kept for operators");
        var refusals = await operatorClient.GetStringAsync("/operations/refusals");
        Assert.Contains("PaymentAmountMismatch", refusals, StringComparison.Ordinal);
        Assert.Contains("UnknownPaymentInstruction", refusals, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_plan_instructs_its_refund_at_the_plan_cost_and_a_failure_shows_until_it_is_paid()
    {
        using var metrics = new MetricRecorder(warranty.Services, WarrantyMetrics.MeterName);
        var (orderId, buyerId) = (Id("order"), Id("buyer"));
        await Complete(probe, Order(orderId, buyerId, Id("merchant"), DateTimeOffset.UtcNow.AddDays(-1), Line("line-1", plan: Plan(2, 299m))));
        using var buyer = warranty.As(PlatformRoles.Buyer, buyerId);
        await (await buyer.PostAsync($"/warranties/{orderId}/line-1/extended-warranty/cancel", null)).Read<ExtendedWarrantyView>();

        var instruction = await probe.WaitFor<RefundInstructed>(m => m.OrderId == orderId, Wait, "the plan's refund is instructed");
        Assert.Equal((299m, PaymentReason.ExtendedWarrantyCancelled, Payer.ExtendedWarrantyPlan, null),
            (instruction.Amount, instruction.Reason, instruction.PaidBy, instruction.MerchantId));

        await probe.Send(PaymentResultConsumer.Queue, new PaymentFailed
        {
            InstructionId = instruction.InstructionId, OrderId = orderId, LineId = "line-1", Amount = 299m, Currency = "CNY",
            Reason = "account frozen", FailedAt = DateTimeOffset.UtcNow,
        });
        await Eventually.Until(async () => (await (await buyer.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>()).Payments[0].Status == PaymentStatus.Failed,
            Wait, "the line shows the refund failed");
        await probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction));
        await Eventually.Until(async () => (await (await buyer.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>()).Payments[0].Status == PaymentStatus.Paid,
            Wait, "a later attempt paid it");
        // Counted after the commit that the view shows, so a moment after it.
        await Eventually.Until(() => (metrics.Sum(PaymentInstructions.Name, "outcome=instructed"), metrics.Sum(PaymentInstructions.Name, "outcome=failed"),
            metrics.Sum(PaymentInstructions.Name, "outcome=confirmed"), metrics.Sum(PaymentInstructions.Name, "kind=refund")) == (1, 1, 1, 3),
            Wait, "the refund counted instructed, failed and confirmed, once each");
    }

    [Fact]
    public async Task A_refund_ruled_against_the_platform_is_instructed_at_its_cost_and_a_second_case_gives_the_price_back_no_more()
    {
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-30), Line("line-1")));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1"))).Read<ClaimView>();
        // The brand's repair was escalated, and the platform's repair operations lost the case.
        var first = ClaimTests.Ruling(Guid.NewGuid(), orderId, "line-1", claim.ClaimId, buyer, merchant, CaseParty.Buyer, RulingRemedy.Refund) with
        {
            Origin = CaseOrigin.RepairJobEscalated, Respondent = RespondentKind.PlatformRepairOperations, RespondentId = null, JobId = Guid.NewGuid(),
        };
        await probe.Publish(first);

        var instruction = await probe.WaitFor<RefundInstructed>(m => m.OrderId == orderId, Wait, "the ruling's refund is instructed");
        Assert.Equal((3999m, PaymentReason.RulingRefund, Payer.Platform, null, first.CaseId, claim.ClaimId),
            (instruction.Amount, instruction.Reason, instruction.PaidBy, instruction.MerchantId, instruction.CaseId, instruction.ClaimId));
        var database = await env.Database(WarrantyService.Name);
        var stream = WarrantyFileStream.StreamId(orderId, "line-1");
        var events = await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", stream);

        var second = Guid.NewGuid();
        await probe.Publish(first with { CaseId = Guid.NewGuid(), JobId = Guid.NewGuid() }, second);
        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from inbox where message_id = $1", second) == 1,
            Wait, "the second case's ruling is consumed");
        Assert.Equal(events, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", stream));
        Assert.Single((await (await client.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>()).Payments);
    }
}
