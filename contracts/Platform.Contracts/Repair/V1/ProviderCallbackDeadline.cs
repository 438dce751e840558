namespace Platform.Contracts.Repair.V1;

/// <summary>
/// Scheduled by the RepairDispatch service for itself at each dispatch. On arrival, if that attempt is
/// still current and the buyer was not contacted, the breach is recorded and the job moves on; a
/// deadline for an old attempt changes nothing.
/// </summary>
public sealed record ProviderCallbackDeadline
{
    /// <summary>The job's id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The dispatch attempt the deadline was scheduled for.</summary>
    public required int Attempt { get; init; }

    /// <summary>The provider of that attempt.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The callback deadline (UTC).</summary>
    public required DateTimeOffset DueAt { get; init; }
}
