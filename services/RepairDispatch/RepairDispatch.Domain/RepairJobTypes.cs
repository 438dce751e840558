namespace RepairDispatch.Domain;

/// <summary>What the job is about, copied from the claim or ruling that ordered it. Trade ids are the trade system's strings.</summary>
/// <param name="Region">The buyer's province code: providers are chosen by it.</param>
/// <param name="Title">The product title, which the provider needs to know what it is repairing.</param>
public sealed record RepairRequest(
    string OrderId,
    string LineId,
    string BuyerId,
    string Region,
    string Category,
    string Brand,
    string Sku,
    string Title,
    string Fault);

public enum RepairSourceKind
{
    ApprovedClaim,
    ArbitrationRuling,
}

/// <summary>The claim or arbitration case that ordered the repair; <paramref name="Id"/> is that claim's or case's id.</summary>
public sealed record RepairSource(RepairSourceKind Kind, Guid Id);

public enum RepairPayer
{
    Brand,
    ExtendedWarrantyProgramme,
    Platform,
}

public enum RepairOutcome
{
    Repaired,
    Replaced,
    Unrepairable,
}

public enum EscalationReason
{
    NoEligibleProvider,
    MaxAttemptsReached,
    FeedbackOverdue,
}

/// <summary>The provider actions, named so a refused one can be recorded.</summary>
public enum ProviderAction
{
    Accept,
    Decline,
    ReportCustomerContacted,
    ReportDeviceReceived,
    ReportProgress,
    ReportCompletion,
}

/// <summary>Why a provider declines a job: the published list (Repair.V1.DeclineReasonCode). Stored by name; a member is never renamed.</summary>
public enum DeclineReasonCode
{
    OutOfServiceArea,
    NoCapacity,
    BrandNotServiced,
    PartsUnavailable,
    FaultOutsideExpertise,

    /// <summary>None of the listed reasons: the provider's note must say why.</summary>
    Other,
}

/// <summary>Where a repair stands: the published list (Repair.V1.ProgressCode). Stored by name; a member is never renamed.</summary>
public enum ProgressCode
{
    Diagnosing,
    AwaitingParts,
    Repairing,
    AwaitingBuyer,
    Testing,
    ReadyToReturn,

    /// <summary>None of the listed stages: the provider's note must say what.</summary>
    Other,
}
