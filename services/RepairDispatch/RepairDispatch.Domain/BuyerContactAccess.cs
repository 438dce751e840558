using Platform.Domain;
using static RepairDispatch.Domain.RepairJob;

namespace RepairDispatch.Domain;

/// <summary>
/// Who may reach the buyer of a job (docs/domain.md, "Reaching the buyer"): the provider the job is dispatched to
/// now, and only while the job is in progress. A provider the job left (redispatched, completed, escalated) has lost
/// it; any other provider never had it.
/// </summary>
public static class BuyerContactAccess
{
    /// <summary>The attempt under which the provider may reach the buyer, or why it may not.</summary>
    public static (DispatchAttempt? Attempt, Refusal? Refusal) Decide(RepairJob job, string providerId) => job switch
    {
        InProgress { Current: { } current } when current.ProviderId == providerId => (current, null),
        Opened opened when opened.Attempts.Any(a => a.ProviderId == providerId) => (null, Refusal.Of(RepairDispatchRefusalCode.ContactWithdrawn,
            opened is InProgress
                ? "The job was dispatched to another provider: the buyer's contact is no longer yours, and its virtual number is released."
                : "The job is over: the buyer's contact is no longer given, and its virtual number is released.")),
        _ => (null, Refusal.Of(RepairDispatchRefusalCode.NotYourJob, "This job is not dispatched to you.")),
    };
}
