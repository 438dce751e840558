namespace Platform.Contracts.Repair.V1;

/// <summary>
/// A provider did not contact the buyer before the callback deadline; recorded against the provider's
/// scorecard.
/// </summary>
public sealed record ProviderCallbackSlaBreached
{
    /// <summary>The job's id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The dispatch attempt that breached.</summary>
    public required int Attempt { get; init; }

    /// <summary>The provider that breached.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The approved claim the job serves, when it comes from one.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>When that attempt was dispatched (UTC).</summary>
    public required DateTimeOffset DispatchedAt { get; init; }

    /// <summary>The deadline that passed (UTC).</summary>
    public required DateTimeOffset CallbackDeadline { get; init; }
}
