namespace Platform.Contracts.Arbitration.V1;

/// <summary>A party added a statement and evidence to an open case.</summary>
public sealed record EvidenceSubmitted
{
    /// <summary>The case's id.</summary>
    public required Guid CaseId { get; init; }

    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>Which side submitted.</summary>
    public required CaseParty SubmittedBy { get; init; }

    /// <summary>The submitter's id: the buyer's, the merchant's, or the repair-operations agent's.</summary>
    public required string SubmitterId { get; init; }

    /// <summary>The submitter's statement.</summary>
    public required string Statement { get; init; }

    /// <summary>Links to the evidence; may be empty.</summary>
    public required IReadOnlyList<Uri> EvidenceLinks { get; init; }

    /// <summary>When it was submitted (UTC).</summary>
    public required DateTimeOffset SubmittedAt { get; init; }
}
