namespace Platform.Contracts.Repair.V1;

/// <summary>Provider report: how the repair is going.</summary>
public sealed record RepairProgressReported
{
    /// <summary>The job's id, from the dispatch.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt number, from the dispatch.</summary>
    public required int Attempt { get; init; }

    /// <summary>The reporting provider.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id, from the dispatch.</summary>
    public required string OrderId { get; init; }

    /// <summary>What was done or is waiting, in the provider's words.</summary>
    public required string Progress { get; init; }

    /// <summary>When the provider expects to finish (UTC), if it can say.</summary>
    public DateTimeOffset? ExpectedCompletionAt { get; init; }

    /// <summary>When the provider reported (UTC).</summary>
    public required DateTimeOffset ReportedAt { get; init; }
}
