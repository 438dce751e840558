using Arbitration.Domain;
using Arbitration.Service.Cases;
using MassTransit;
using Platform.Contracts.Arbitration.V1;
using Platform.EventSourcing.Pipeline;

namespace Arbitration.Service.Features.EnforceRespondentDeadline;

/// <summary>
/// The respondent's deadline, scheduled when the case opened. A respondent still silent loses by
/// default; one that answered, or a case already ruled, makes the deadline a no-op; one that arrives
/// before its time by this service's clock is scheduled again for the deadline.
/// </summary>
public sealed class RespondentDeadlineConsumer(MessagePipeline pipeline, CaseStream cases, ArbitrationPolicy policy, TimeProvider clock)
    : IConsumer<RespondentDeadline>
{
    /// <summary>The inbox key of these messages, fixed so that a class rename does not apply consumed ones again.</summary>
    public const string Name = "arbitration-respondent-deadline";

    public Task Consume(ConsumeContext<RespondentDeadline> context) =>
        pipeline.Consume(context, Name, async (work, deadline, ct) =>
        {
            // The service's clock, not the message's due time: silence is judged when the deadline has truly passed.
            var command = new CaseCommand.EnforceRespondentDeadline(deadline.CaseId, clock.GetUtcNow());
            var handled = await work.Handle(cases.Aggregate, CaseStream.StreamId(deadline.CaseId),
                state => CaseDecider.Decide(command, state, policy), ct);
            return handled.Refusal;
        });
}
