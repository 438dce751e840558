namespace Platform.Contracts.Repair.V1;

/// <summary>
/// Provider report: a mailed-in device reached the provider; progress is owed within the feedback
/// period from here.
/// </summary>
public sealed record DeviceReceived
{
    /// <summary>The job's id, from the dispatch.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt number, from the dispatch.</summary>
    public required int Attempt { get; init; }

    /// <summary>The reporting provider.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id, from the dispatch.</summary>
    public required string OrderId { get; init; }

    /// <summary>When the device arrived (UTC).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}
