namespace Platform.Contracts.Repair.V1;

/// <summary>A repair provider was suspended and gets no new jobs until reinstated.</summary>
public sealed record ProviderSuspended
{
    /// <summary>The suspended provider.</summary>
    public required string ProviderId { get; init; }

    /// <summary>Why it was suspended.</summary>
    public required ProviderSuspensionReason Reason { get; init; }

    /// <summary>The callback breaches on the provider's scorecard at suspension.</summary>
    public required int CallbackBreaches { get; init; }

    /// <summary>When it was suspended (UTC).</summary>
    public required DateTimeOffset SuspendedAt { get; init; }
}
