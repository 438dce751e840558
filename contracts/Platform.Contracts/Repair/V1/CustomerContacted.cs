namespace Platform.Contracts.Repair.V1;

/// <summary>
/// Provider report: the provider called the buyer back and booked the service; meets the callback
/// deadline when it happens before it.
/// </summary>
public sealed record CustomerContacted
{
    /// <summary>The job's id, from the dispatch.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt number, from the dispatch.</summary>
    public required int Attempt { get; init; }

    /// <summary>The reporting provider.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id, from the dispatch.</summary>
    public required string OrderId { get; init; }

    /// <summary>When the provider reached the buyer (UTC).</summary>
    public required DateTimeOffset ContactedAt { get; init; }

    /// <summary>Whether the provider visits or the device is mailed in.</summary>
    public required ServiceMode ServiceMode { get; init; }

    /// <summary>The visit, or the device collection, the buyer agreed to (UTC).</summary>
    public required DateTimeOffset BookedFor { get; init; }
}
