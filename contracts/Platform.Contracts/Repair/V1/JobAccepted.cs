namespace Platform.Contracts.Repair.V1;

/// <summary>Provider report: the provider takes the dispatched job.</summary>
public sealed record JobAccepted
{
    /// <summary>The job's id, from the dispatch.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt number, from the dispatch.</summary>
    public required int Attempt { get; init; }

    /// <summary>The reporting provider.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id, from the dispatch.</summary>
    public required string OrderId { get; init; }

    /// <summary>When the provider accepted (UTC).</summary>
    public required DateTimeOffset AcceptedAt { get; init; }
}
