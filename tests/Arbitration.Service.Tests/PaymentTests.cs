using System.Net;
using Arbitration.Domain;
using Arbitration.Service.Cases;
using Arbitration.Service.Features.SettlePayment;
using Arbitration.Service.Views;
using Platform.Contracts.Payments.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using PaymentStatus = Arbitration.Domain.PaymentStatus;

namespace Arbitration.Service.Tests;

/// <summary>Compensation a ruling awards, as the trade system sees it on the bus, and its answers as the case shows them.</summary>
public sealed class PaymentTests(RealTimeHost host) : ArbitrationTests<RealTimeHost>(host)
{
    private const decimal Amount = 300.50m;

    /// <summary>An escalated claim its merchant answered, ruled for the buyer with compensation.</summary>
    private async Task<(Guid CaseId, HttpClient Arbitrator, object Ruling, CompensationInstructed Instruction)> Compensated()
    {
        var escalated = Messages.ClaimEscalated("merchant-pay");
        await Probe.Publish(escalated);
        var caseId = CaseIds.ForClaim(escalated.ClaimId);
        var view = await CaseOpened(caseId);
        using (var merchant = Service.As("merchant", "merchant-pay"))
        {
            await Read<CaseView>(await Post(merchant, $"/cases/{caseId}/evidence", new { statement = "It was late because of the holiday." }));
        }
        var arbitrator = Service.As("arbitrator", view.ArbitratorId!);
        var ruling = new { inFavourOf = "Buyer", remedy = "Compensation", amount = Amount, rationale = "Delivered a week late, for the buyer's trouble." };
        var ruled = await Read<CaseView>(await Post(arbitrator, $"/cases/{caseId}/ruling", ruling));
        Assert.Equal((PaymentStatus.Instructed, Amount, caseId), (ruled.Compensation!.Status, ruled.Compensation.Amount, ruled.Compensation.InstructionId));
        var instruction = await Probe.WaitFor<CompensationInstructed>(m => m.CaseId == caseId, Timeout, "the compensation is instructed");
        return (caseId, arbitrator, ruling, instruction);
    }

    private static PaymentConfirmed Confirmation(CompensationInstructed instruction, decimal amount) => new()
    {
        InstructionId = instruction.InstructionId,
        OrderId = instruction.OrderId,
        LineId = instruction.LineId,
        Amount = amount,
        Currency = instruction.Currency,
        PaymentReference = $"PAY-{instruction.InstructionId:N}",
        PaidAt = DateTimeOffset.UtcNow,
    };

    private async Task<CompensationView> Compensation(HttpClient client, Guid caseId) =>
        (await Read<CaseView>(await client.GetAsync($"/cases/{caseId}"))).Compensation!;

    [Fact]
    public async Task A_ruling_of_compensation_instructs_it_once_at_the_merchant_cost_and_its_confirmation_shows_it_paid()
    {
        using var metrics = new MetricRecorder(Service.Services, ArbitrationMetrics.MeterName);
        var (caseId, arbitrator, ruling, instruction) = await Compensated();
        Assert.Equal((caseId, Amount, "CNY", PaymentReason.RulingCompensation, Payer.Merchant, "merchant-pay"),
            (instruction.InstructionId, instruction.Amount, instruction.Currency, instruction.Reason, instruction.PaidBy, instruction.MerchantId));

        // The ruling sent again (another request) is the same ruling: nothing more is instructed.
        Assert.Equal(HttpStatusCode.OK, (await Post(arbitrator, $"/cases/{caseId}/ruling", ruling)).StatusCode);
        await Probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction, Amount));

        await Eventually.Until(async () => (await Compensation(arbitrator, caseId)).Status == PaymentStatus.Paid, Timeout, "the case shows it paid");
        Assert.Equal($"PAY-{caseId:N}", (await Compensation(arbitrator, caseId)).PaymentReference);
        var database = await Env.Database(ArbitrationService.Name);
        Assert.Equal(1L, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1 and type = 'arbitration.compensation-instructed'",
            CaseStream.StreamId(caseId)));
        Assert.Single(Probe.Received<CompensationInstructed>(), o => o.Message.CaseId == caseId);
        // Counted after the commit that the case shows, so a moment after it.
        await Eventually.Until(() => (metrics.Sum(PaymentInstructions.Name, "outcome=instructed"), metrics.Sum(PaymentInstructions.Name, "outcome=confirmed"),
            metrics.Sum(PaymentInstructions.Name, "kind=compensation")) == (1, 1, 2), Timeout, "the compensation counted instructed and confirmed, once each");
    }

    [Fact]
    public async Task A_repeated_confirmation_changes_nothing_and_one_for_another_amount_or_no_compensation_is_refused_and_kept()
    {
        var (caseId, arbitrator, _, instruction) = await Compensated();
        await Probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction, Amount));
        await Eventually.Until(async () => (await Compensation(arbitrator, caseId)).Status == PaymentStatus.Paid, Timeout, "the compensation is paid");
        var database = await Env.Database(ArbitrationService.Name);
        var events = await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", CaseStream.StreamId(caseId));

        var (repeat, wrong, unknown) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction, Amount) with { PaymentReference = "PAY-again" }, repeat);
        await Probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction, Amount - 0.50m), wrong);
        await Probe.Send(PaymentResultConsumer.Queue, Confirmation(instruction, Amount) with { InstructionId = unknown });

        await Eventually.Until(async () => await database.Scalar<long>("select count(*) from inbox where message_id = any($1)", new[] { repeat, wrong }) == 2,
            Timeout, "the repeat and the wrong amount are consumed");
        Assert.Equal(events, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", CaseStream.StreamId(caseId)));
        Assert.Equal((PaymentStatus.Paid, $"PAY-{caseId:N}"), ((await Compensation(arbitrator, caseId)).Status, (await Compensation(arbitrator, caseId)).PaymentReference));

        using var operatorClient = Service.As("operator", "sre-1");
        await Eventually.Until(async () => (await operatorClient.GetStringAsync("/operations/refusals")).Contains(unknown.ToString(), StringComparison.Ordinal),
            Timeout, "the answer for no compensation is kept for operators");
        var refusals = await operatorClient.GetStringAsync("/operations/refusals");
        Assert.Contains(nameof(CaseRefusalCode.PaymentAmountMismatch), refusals, StringComparison.Ordinal);
        Assert.Contains(nameof(CaseRefusalCode.UnknownPaymentInstruction), refusals, StringComparison.Ordinal);
    }
}
