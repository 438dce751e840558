using Platform.EventSourcing;
using Warranty.Domain;

namespace Warranty.Service;

/// <summary>The codes under which consumed messages are refused, for operators reading GET /operations/refusals.</summary>
public static class RefusalCodes
{
    /// <summary>A field is missing, empty or out of range, or two fields contradict each other.</summary>
    public const string InvalidMessage = "InvalidMessage";

    /// <summary>The message names a claim this service never recorded, or places it on another order line.</summary>
    public const string UnknownClaim = "UnknownClaim";

    /// <summary>A new claim's id already names a claim on another order line.</summary>
    public const string ClaimIdInUse = "ClaimIdInUse";

    /// <summary>An OrderCompleted line contradicts the rules (a 4-year plan); its file keeps the reason too.</summary>
    public const string ActivationRefused = "ActivationRefused";

    /// <summary>The warranty file's state does not allow what the message asks (no file yet, a claim in the wrong state).</summary>
    public const string RuleViolation = nameof(WarrantyRuleViolation);

    /// <summary>
    /// Refuses a consumed message: kept with the reason where operators read it, and logged for the ones who
    /// watch logs. Bad input is the sender's mistake, so it is refused once and never retried.
    /// </summary>
    public static void Refuse(this Session session, ILogger logger, object message, string code, string reason)
    {
        logger.LogWarning("Refused {MessageType}: {Code}: {Reason}", message.GetType().Name, code, reason);
        session.RecordRefusal(message, code, reason);
    }

    /// <summary>Decides a consumed message's command; a decider's refusal refuses the message and decides nothing.</summary>
    public static IReadOnlyList<WarrantyFileEvent> DecideOrRefuse(
        this Session session, ILogger logger, object message, WarrantyFileCommand command, WarrantyFile state, WarrantyPolicy policy)
    {
        try
        {
            return WarrantyFileDecider.Decide(command, state, policy);
        }
        catch (WarrantyRuleViolation violation)
        {
            session.Refuse(logger, message, RuleViolation, violation.Message);
            return [];
        }
    }
}
