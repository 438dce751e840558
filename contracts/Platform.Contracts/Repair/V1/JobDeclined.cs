namespace Platform.Contracts.Repair.V1;

/// <summary>
/// Provider report: the provider will not take the dispatched job; the job is redispatched at once.
/// </summary>
public sealed record JobDeclined
{
    /// <summary>The job's id, from the dispatch.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt number, from the dispatch.</summary>
    public required int Attempt { get; init; }

    /// <summary>The reporting provider.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id, from the dispatch.</summary>
    public required string OrderId { get; init; }

    /// <summary>The provider's reason, in the provider's words.</summary>
    public required string Reason { get; init; }

    /// <summary>When the provider declined (UTC).</summary>
    public required DateTimeOffset DeclinedAt { get; init; }
}
