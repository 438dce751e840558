using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobEvent;
using C = Platform.Contracts.Repair.V1;

namespace RepairDispatch.Service.RepairJobs;

/// <summary>The Repair.V1 messages the job's events become.</summary>
public static class ContractMessages
{
    /// <summary>
    /// Where a provider reaches the buyer through the contact service: the job's contact on this service's API,
    /// which names no buyer, so neither the buyer's id nor their phone or address sits in a provider's queue.
    /// </summary>
    public static string BuyerContactReference(Guid jobId) => $"jobs/{jobId}/contact";

    public static C.RepairJobOpened Opened(RepairJobOpened e) => new()
    {
        JobId = e.JobId,
        OrderId = e.Request.OrderId,
        LineId = e.Request.LineId,
        ClaimId = ClaimOf(e.Source),
        CaseId = CaseOf(e.Source),
        BuyerId = e.Request.BuyerId,
        ShippingRegion = e.Request.Region,
        Sku = e.Request.Sku,
        Title = e.Request.Title,
        Category = e.Request.Category,
        Brand = e.Request.Brand,
        FaultDescription = e.Request.Fault,
        CostBearer = CostBearer(e.PaidBy),
        OpenedAt = e.OpenedAt,
    };

    public static C.RepairJobDispatched Dispatched(RepairJobDispatched e) => new()
    {
        JobId = e.JobId,
        Attempt = e.Attempt,
        ProviderId = e.ProviderId,
        OrderId = e.Request.OrderId,
        LineId = e.Request.LineId,
        ClaimId = ClaimOf(e.Source),
        CaseId = CaseOf(e.Source),
        BuyerContactReference = BuyerContactReference(e.JobId),
        ShippingRegion = e.Request.Region,
        Sku = e.Request.Sku,
        Title = e.Request.Title,
        Category = e.Request.Category,
        Brand = e.Request.Brand,
        FaultDescription = e.Request.Fault,
        CostBearer = CostBearer(e.PaidBy),
        DispatchedAt = e.DispatchedAt,
        CallbackDeadline = e.CallbackDeadlineAt,
    };

    public static C.ProviderCallbackDeadline CallbackDeadline(RepairJobDispatched e) => new()
    {
        JobId = e.JobId,
        Attempt = e.Attempt,
        ProviderId = e.ProviderId,
        OrderId = e.Request.OrderId,
        DueAt = e.CallbackDeadlineAt,
    };

    /// <param name="previous">The attempt that ended; <paramref name="reason"/> is why.</param>
    public static C.RepairJobRedispatched Redispatched(RepairJobDispatched e, DispatchAttempt previous, C.RedispatchReason reason) => new()
    {
        JobId = e.JobId,
        OrderId = e.Request.OrderId,
        ClaimId = ClaimOf(e.Source),
        PreviousProviderId = previous.ProviderId,
        PreviousAttempt = previous.Number,
        Reason = reason,
        ProviderId = e.ProviderId,
        Attempt = e.Attempt,
        RedispatchedAt = e.DispatchedAt,
    };

    public static C.ProviderCallbackSlaBreached Breached(ProviderCallbackSlaBreached e, RepairJobDetails job, DispatchAttempt attempt) => new()
    {
        JobId = e.JobId,
        Attempt = e.Attempt,
        ProviderId = e.ProviderId,
        OrderId = job.Request.OrderId,
        ClaimId = ClaimOf(job.Source),
        DispatchedAt = attempt.DispatchedAt,
        CallbackDeadline = e.DeadlineAt,
    };

    public static C.DeviceFeedbackDeadline FeedbackDeadline(RepairJobDetails job, DispatchAttempt attempt, DateTimeOffset receivedAt, DateTimeOffset dueAt) => new()
    {
        JobId = job.JobId,
        Attempt = attempt.Number,
        ProviderId = attempt.ProviderId,
        OrderId = job.Request.OrderId,
        DeviceReceivedAt = receivedAt,
        DueAt = dueAt,
    };

    public static C.RepairJobCompleted Completed(RepairJobCompleted e, RepairJobDetails job) => new()
    {
        JobId = e.JobId,
        Attempt = e.Attempt,
        ProviderId = e.ProviderId,
        OrderId = job.Request.OrderId,
        LineId = job.Request.LineId,
        ClaimId = ClaimOf(job.Source),
        Outcome = e.Outcome switch
        {
            RepairOutcome.Repaired => C.RepairOutcome.Repaired,
            RepairOutcome.Replaced => C.RepairOutcome.Replaced,
            RepairOutcome.Unrepairable => C.RepairOutcome.Unrepairable,
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Outcome, "Unknown repair outcome."),
        },
        Report = e.Report,
        CompletedAt = e.CompletedAt,
    };

    public static C.RepairJobEscalated Escalated(RepairJobEscalated e) => new()
    {
        JobId = e.JobId,
        OrderId = e.Request.OrderId,
        LineId = e.Request.LineId,
        ClaimId = ClaimOf(e.Source),
        CaseId = CaseOf(e.Source),
        BuyerId = e.Request.BuyerId,
        ShippingRegion = e.Request.Region,
        Sku = e.Request.Sku,
        Title = e.Request.Title,
        Category = e.Request.Category,
        Brand = e.Request.Brand,
        FaultDescription = e.Request.Fault,
        Reason = e.Reason switch
        {
            EscalationReason.MaxAttemptsReached => C.RepairEscalationReason.AttemptsExhausted,
            EscalationReason.NoEligibleProvider => C.RepairEscalationReason.NoProviderAvailable,
            EscalationReason.FeedbackOverdue => C.RepairEscalationReason.DeviceFeedbackOverdue,
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Reason, "Unknown escalation reason."),
        },
        Attempts = e.AttemptsMade,
        LastProviderId = e.LastProviderId,
        EscalatedAt = e.EscalatedAt,
    };

    public static C.ProviderSuspended Suspended(ProviderEvent.ProviderSuspended e, int callbackBreaches) => new()
    {
        ProviderId = e.ProviderId,
        Reason = e.Reason switch
        {
            SuspensionReason.RepeatedCallbackBreaches => C.ProviderSuspensionReason.RepeatedCallbackBreaches,
            SuspensionReason.OperatorDecision => C.ProviderSuspensionReason.Operator,
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Reason, "Unknown suspension reason."),
        },
        CallbackBreaches = callbackBreaches,
        SuspendedAt = e.SuspendedAt,
    };

    public static RepairOutcome Outcome(C.RepairOutcome outcome) => outcome switch
    {
        C.RepairOutcome.Repaired => RepairOutcome.Repaired,
        C.RepairOutcome.Replaced => RepairOutcome.Replaced,
        C.RepairOutcome.Unrepairable => RepairOutcome.Unrepairable,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown repair outcome."),
    };

    private static C.RepairCostBearer CostBearer(RepairPayer payer) => payer switch
    {
        RepairPayer.Brand => C.RepairCostBearer.Brand,
        RepairPayer.ExtendedWarrantyProgramme => C.RepairCostBearer.ExtendedWarrantyProgramme,
        RepairPayer.Platform => C.RepairCostBearer.Platform,
        _ => throw new ArgumentOutOfRangeException(nameof(payer), payer, "Unknown payer."),
    };

    private static Guid? ClaimOf(RepairSource source) => source.Kind == RepairSourceKind.ApprovedClaim ? source.Id : null;

    private static Guid? CaseOf(RepairSource source) => source.Kind == RepairSourceKind.ArbitrationRuling ? source.Id : null;
}
