namespace Platform.Contracts.Repair.V1;

/// <summary>
/// RepairDispatch's answer to a provider's report by message that it refused: sent to the reporting
/// provider's own queue (repair-provider-{providerId}), never published. The report changed nothing.
/// </summary>
public sealed record ReportRefused
{
    /// <summary>The refused report's MessageId, as the provider sent it.</summary>
    public required Guid ReportMessageId { get; init; }

    /// <summary>The refused report's contract name, such as "JobAccepted".</summary>
    public required string ReportType { get; init; }

    /// <summary>The job the report named (empty when it named none).</summary>
    public required Guid JobId { get; init; }

    /// <summary>The trade system's order id the report named, as sent (empty when it named none).</summary>
    public required string OrderId { get; init; }

    /// <summary>The provider the broker says sent the report: the owner of this queue.</summary>
    public required string ProviderId { get; init; }

    /// <summary>Why, as a code from RepairDispatch's published list (RepairDispatchRefusalCode), such as "NotYourJob".</summary>
    public required string Code { get; init; }

    /// <summary>Why, in words.</summary>
    public required string Reason { get; init; }

    /// <summary>When the report was refused (UTC).</summary>
    public required DateTimeOffset RefusedAt { get; init; }
}
