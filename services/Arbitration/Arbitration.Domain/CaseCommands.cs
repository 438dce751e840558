namespace Arbitration.Domain;

/// <summary>Each command carries the instant it is decided at, from the service's clock.</summary>
public abstract record CaseCommand(Guid CaseId, DateTimeOffset Now)
{
    /// <summary>
    /// Opens the case for a claim, a denied reopen, or an escalated repair job. The facts that
    /// justify it (the claim was refused, the job escalated) live in the other services; the
    /// service checks them and derives one case id per origin so a second escalation finds this case.
    /// </summary>
    public sealed record OpenCase(
        Guid CaseId,
        string OrderId,
        string LineId,
        string BuyerId,
        CaseOrigin Origin,
        DisputedItem Item,
        DateTimeOffset Now) : CaseCommand(CaseId, Now);

    public sealed record SubmitEvidence(
        Guid CaseId,
        Actor Actor,
        IReadOnlyList<string> Links,
        string Statement,
        DateTimeOffset Now) : CaseCommand(CaseId, Now);

    /// <param name="ArbitratorId">Chosen by <see cref="ArbitratorSelection.ChooseArbitrator"/>.</param>
    public sealed record AssignArbitrator(Guid CaseId, string ArbitratorId, DateTimeOffset Now) : CaseCommand(CaseId, Now);

    public sealed record IssueRuling(
        Guid CaseId,
        Actor Actor,
        Verdict Verdict,
        string Rationale,
        DateTimeOffset Now) : CaseCommand(CaseId, Now);

    /// <summary>The respondent deadline the service scheduled at CaseOpened.RespondentDeadlineAt.</summary>
    public sealed record EnforceRespondentDeadline(Guid CaseId, DateTimeOffset Now) : CaseCommand(CaseId, Now);

    /// <summary>The trade system's PaymentConfirmed for the compensation instructed on this case (its id is the instruction's).</summary>
    public sealed record ConfirmPayment(
        Guid CaseId, decimal Amount, string Currency, string PaymentReference, DateTimeOffset PaidAt, DateTimeOffset Now) : CaseCommand(CaseId, Now);

    /// <summary>The trade system's PaymentFailed for it.</summary>
    public sealed record RecordPaymentFailure(
        Guid CaseId, decimal Amount, string Currency, string Reason, DateTimeOffset FailedAt, DateTimeOffset Now) : CaseCommand(CaseId, Now);
}
