namespace Platform.Contracts.Repair.V1;

/// <summary>
/// Scheduled by the RepairDispatch service for itself when a provider reports a mailed-in device
/// received. On arrival, if no progress or completion was reported since, the job is escalated.
/// </summary>
public sealed record DeviceFeedbackDeadline
{
    /// <summary>The job's id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The dispatch attempt holding the device.</summary>
    public required int Attempt { get; init; }

    /// <summary>The provider holding the device.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The receipt the deadline counts from (UTC).</summary>
    public required DateTimeOffset DeviceReceivedAt { get; init; }

    /// <summary>The instant progress is owed by (UTC).</summary>
    public required DateTimeOffset DueAt { get; init; }
}
