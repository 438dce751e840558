using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Payments.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Features.SettlePayment;

/// <summary>
/// The trade system's answers to this service's CompensationInstructed, sent to <see cref="Queue"/>, bound to no
/// exchange: an answer goes to the service that instructed the payment, and only there. A compensation's
/// instruction id is its case's, so the answer is decided on that case; one that names no compensation of this
/// service or another amount is refused and kept for operators.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class PaymentResultConsumer(MessagePipeline pipeline, CaseStream cases, ArbitrationPolicy policy, TimeProvider clock) :
    IConsumer<PaymentConfirmed>,
    IConsumer<PaymentFailed>
{
    public const string Queue = "arbitration-payment-results";

    public Task Consume(ConsumeContext<PaymentConfirmed> context)
    {
        var m = context.Message;
        return Settle(context, m.InstructionId, string.IsNullOrWhiteSpace(m.PaymentReference) ? "A confirmation needs the trade system's paymentReference." : null,
            now => new CaseCommand.ConfirmPayment(m.InstructionId, m.Amount, m.Currency, m.PaymentReference, m.PaidAt, now));
    }

    public Task Consume(ConsumeContext<PaymentFailed> context)
    {
        var m = context.Message;
        return Settle(context, m.InstructionId, string.IsNullOrWhiteSpace(m.Reason) ? "A failure needs the trade system's reason." : null,
            now => new CaseCommand.RecordPaymentFailure(m.InstructionId, m.Amount, m.Currency, m.Reason, m.FailedAt, now));
    }

    private Task Settle<T>(ConsumeContext<T> context, Guid instructionId, string? invalid, Func<DateTimeOffset, CaseCommand> command)
        where T : class =>
        pipeline.Consume(context, Queue, async (work, _, ct) =>
            invalid is not null
                ? Refusal.Of(CaseRefusalCode.MissingField, invalid)
                : (await work.Handle(cases.Aggregate, CaseStream.StreamId(instructionId),
                    state => CaseDecider.Decide(command(clock.GetUtcNow()), state, policy), ct)).Refusal);
}
