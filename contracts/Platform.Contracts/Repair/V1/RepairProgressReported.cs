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

    /// <summary>
    /// A note in the provider's words on what was done or is waiting; may be empty when <see cref="ProgressCode"/>
    /// says it all, never when the code is <see cref="Repair.V1.ProgressCode.Other"/> or absent.
    /// </summary>
    public required string Progress { get; init; }

    /// <summary>Where the repair stands, from the published list; absent (a sender from before the list) is read as <see cref="Repair.V1.ProgressCode.Other"/>.</summary>
    public ProgressCode? ProgressCode { get; init; }

    /// <summary>Links to photos or documents of the repair: absolute https addresses, at most 10 unless the operator allows more; may be absent.</summary>
    public IReadOnlyList<Uri>? AttachmentLinks { get; init; }

    /// <summary>When the provider expects to finish (UTC), if it can say.</summary>
    public DateTimeOffset? ExpectedCompletionAt { get; init; }

    /// <summary>When the provider reported (UTC).</summary>
    public required DateTimeOffset ReportedAt { get; init; }
}
