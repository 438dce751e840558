using MassTransit;
using Platform.Contracts.Payments.V1;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Warranty.Domain;

namespace Warranty.Service.Features.SettlePayment;

/// <summary>
/// The trade system's answers to this service's RefundInstructed, sent to <see cref="Queue"/>. That endpoint is
/// bound to no exchange: an answer goes to the service that instructed the payment, and only there. The answer
/// names the instruction's order and line, so it is decided on that line's warranty file, which holds the
/// instruction; one that names no instruction of the file or another amount is refused and kept for operators.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class PaymentResultConsumer(MessagePipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock) :
    IConsumer<PaymentConfirmed>,
    IConsumer<PaymentFailed>
{
    public const string Queue = "warranty-payment-results";

    public Task Consume(ConsumeContext<PaymentConfirmed> context)
    {
        var m = context.Message;
        var invalid = string.IsNullOrWhiteSpace(m.PaymentReference) ? "A confirmation needs the trade system's paymentReference." : null;
        return Settle(context, m.OrderId, m.LineId, invalid,
            now => new WarrantyFileCommand.ConfirmPayment(m.InstructionId, m.Amount, m.Currency, m.PaymentReference, m.PaidAt, now));
    }

    public Task Consume(ConsumeContext<PaymentFailed> context)
    {
        var m = context.Message;
        var invalid = string.IsNullOrWhiteSpace(m.Reason) ? "A failure needs the trade system's reason." : null;
        return Settle(context, m.OrderId, m.LineId, invalid,
            now => new WarrantyFileCommand.RecordPaymentFailure(m.InstructionId, m.Amount, m.Currency, m.Reason, m.FailedAt, now));
    }

    private Task Settle<T>(ConsumeContext<T> context, string? orderId, string? lineId, string? invalid, Func<DateTimeOffset, WarrantyFileCommand> command)
        where T : class =>
        pipeline.Consume(context, Queue, async (work, _, ct) =>
        {
            if (string.IsNullOrWhiteSpace(orderId) || string.IsNullOrWhiteSpace(lineId))
                return new Refusal(ContractVocabulary.InvalidMessage, "A payment answer must name the instruction's orderId and lineId.");
            if (invalid is not null)
                return new Refusal(ContractVocabulary.InvalidMessage, invalid);
            var now = clock.GetUtcNow();
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(orderId, lineId),
                file => WarrantyFileDecider.Decide(command(now), file.State, policy), ct);
            return handled.Refusal;
        });
}
