namespace Platform.Contracts.Repair.V1;

/// <summary>Provider report: the repair job ended; resolves the claim it serves.</summary>
public sealed record RepairJobCompleted
{
    /// <summary>The job's id, from the dispatch.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt number, from the dispatch.</summary>
    public required int Attempt { get; init; }

    /// <summary>The reporting provider.</summary>
    public required string ProviderId { get; init; }

    /// <summary>The trade system's order id, from the dispatch.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line repaired, from the dispatch.</summary>
    public required string LineId { get; init; }

    /// <summary>The claim the job serves, from the dispatch; null when the dispatch had none.</summary>
    public Guid? ClaimId { get; init; }

    /// <summary>How the job ended.</summary>
    public required RepairOutcome Outcome { get; init; }

    /// <summary>What the provider found and did, in the provider's words.</summary>
    public required string Report { get; init; }

    /// <summary>When the job ended (UTC).</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
