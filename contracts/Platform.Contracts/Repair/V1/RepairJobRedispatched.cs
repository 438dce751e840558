namespace Platform.Contracts.Repair.V1;

/// <summary>
/// A repair job moved from one provider to the next after a breach or a decline; a <see
/// cref="RepairJobDispatched"/> for the new attempt follows.
/// </summary>
public sealed record RepairJobRedispatched
{
    /// <summary>The job's id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The approved claim the job serves, when it comes from one.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>The provider the job was taken from.</summary>
    public required string PreviousProviderId { get; init; }

    /// <summary>The attempt that ended.</summary>
    public required int PreviousAttempt { get; init; }

    /// <summary>Why the job moved.</summary>
    public required RedispatchReason Reason { get; init; }

    /// <summary>The provider the job moves to.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The new attempt's number.</summary>
    public required int Attempt { get; init; }

    /// <summary>When the job moved (UTC).</summary>
    public required DateTimeOffset RedispatchedAt { get; init; }
}
