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

    /// <summary>
    /// A note in the provider's words; may be empty when <see cref="ReasonCode"/> says it all, never when the
    /// code is <see cref="DeclineReasonCode.Other"/> or absent.
    /// </summary>
    public required string Reason { get; init; }

    /// <summary>Why, from the published list; absent (a sender from before the list) is read as <see cref="DeclineReasonCode.Other"/>.</summary>
    public DeclineReasonCode? ReasonCode { get; init; }

    /// <summary>When the provider declined (UTC).</summary>
    public required DateTimeOffset DeclinedAt { get; init; }
}
