namespace RepairDispatch.Domain;

/// <summary>
/// Everything that can be asked of a repair job (one stream per job). Commands carry the time, and
/// those that may dispatch carry the providers as they stand, so deciding reads nothing.
/// </summary>
public abstract record RepairJobCommand
{
    private RepairJobCommand() { }

    public abstract record OpenRepairJob : RepairJobCommand
    {
        private protected OpenRepairJob() { }

        public abstract RepairJobDetails Details { get; }
        public abstract IReadOnlyCollection<ProviderCandidate> Providers { get; init; }
        public abstract DateTimeOffset Now { get; init; }
    }

    /// <summary>A repair claim approved under the national joint or extended warranty.</summary>
    public sealed record OpenForApprovedClaim(
        Guid JobId,
        Guid ClaimId,
        RepairRequest Request,
        RepairPayer PaidBy,
        IReadOnlyCollection<ProviderCandidate> Providers,
        DateTimeOffset Now) : OpenRepairJob
    {
        public override RepairJobDetails Details => new(JobId, new RepairSource(RepairSourceKind.ApprovedClaim, ClaimId), Request, PaidBy);
    }

    /// <summary>A final ruling that orders a repair; the platform pays for it.</summary>
    public sealed record OpenForRuling(
        Guid JobId,
        Guid CaseId,
        RepairRequest Request,
        IReadOnlyCollection<ProviderCandidate> Providers,
        DateTimeOffset Now) : OpenRepairJob
    {
        public override RepairJobDetails Details => new(JobId, new RepairSource(RepairSourceKind.ArbitrationRuling, CaseId), Request, RepairPayer.Platform);
    }

    /// <summary>The scheduled callback deadline of one attempt has come.</summary>
    public sealed record CallbackDeadlineReached(
        Guid JobId,
        int Attempt,
        IReadOnlyCollection<ProviderCandidate> Providers,
        DateTimeOffset Now) : RepairJobCommand;

    /// <summary>The scheduled feedback deadline <paramref name="DueAt"/> has come.</summary>
    public sealed record FeedbackDeadlineReached(
        Guid JobId,
        DateTimeOffset DueAt,
        DateTimeOffset Now) : RepairJobCommand;

    /// <summary>A report from a provider, who is the actor: only the provider the job is with may make one.</summary>
    public abstract record ProviderReport : RepairJobCommand
    {
        private protected ProviderReport(Guid jobId, string providerId, DateTimeOffset now)
        {
            JobId = jobId;
            ProviderId = providerId;
            Now = now;
        }

        public Guid JobId { get; }
        public string ProviderId { get; }
        public DateTimeOffset Now { get; }
        public abstract ProviderAction Action { get; }
    }

    public sealed record AcceptJob(Guid JobId, string ProviderId, DateTimeOffset Now)
        : ProviderReport(JobId, ProviderId, Now)
    {
        public override ProviderAction Action => ProviderAction.Accept;
    }

    /// <param name="Reason">The provider's note; may be empty unless <paramref name="Code"/> is <see cref="DeclineReasonCode.Other"/>.</param>
    public sealed record DeclineJob(Guid JobId, string ProviderId, string Reason, IReadOnlyCollection<ProviderCandidate> Providers, DateTimeOffset Now,
        DeclineReasonCode Code = DeclineReasonCode.Other)
        : ProviderReport(JobId, ProviderId, Now)
    {
        public override ProviderAction Action => ProviderAction.Decline;
    }

    public sealed record ReportCustomerContacted(Guid JobId, string ProviderId, DateTimeOffset BookedFor, DateTimeOffset Now)
        : ProviderReport(JobId, ProviderId, Now)
    {
        public override ProviderAction Action => ProviderAction.ReportCustomerContacted;
    }

    /// <summary>A mailed-in device has arrived at the provider.</summary>
    public sealed record ReportDeviceReceived(Guid JobId, string ProviderId, DateTimeOffset Now)
        : ProviderReport(JobId, ProviderId, Now)
    {
        public override ProviderAction Action => ProviderAction.ReportDeviceReceived;
    }

    /// <param name="Note">The provider's words; may be empty unless <paramref name="Code"/> is <see cref="ProgressCode.Other"/>.</param>
    /// <param name="Attachments">Https links, checked by the service before the command is made.</param>
    public sealed record ReportProgress(Guid JobId, string ProviderId, string Note, DateTimeOffset Now,
        ProgressCode Code = ProgressCode.Other, IReadOnlyList<string>? Attachments = null)
        : ProviderReport(JobId, ProviderId, Now)
    {
        public override ProviderAction Action => ProviderAction.ReportProgress;
    }

    /// <param name="Report">What the provider found and did, in its words; the claim is resolved with it.</param>
    public sealed record ReportCompletion(Guid JobId, string ProviderId, RepairOutcome Outcome, string Report, DateTimeOffset Now)
        : ProviderReport(JobId, ProviderId, Now)
    {
        public override ProviderAction Action => ProviderAction.ReportCompletion;
    }
}
