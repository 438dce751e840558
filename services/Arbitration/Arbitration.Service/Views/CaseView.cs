using Arbitration.Domain;
using Arbitration.Service.Cases;
using Platform.Contracts.Arbitration.V1;

namespace Arbitration.Service.Views;

/// <summary>A case as its parties, arbitrators and customer service see it.</summary>
/// <param name="AppealedReason">The reason of the rejection or denial appealed; null for an escalation.</param>
/// <param name="Compensation">The compensation the ruling awarded, and whether the trade system paid it; null when it awarded none.</param>
public sealed record CaseView(
    Guid CaseId,
    CaseStatus Status,
    Platform.Contracts.Arbitration.V1.CaseOrigin Origin,
    string OrderId,
    string LineId,
    Guid? ClaimId,
    Guid? JobId,
    Guid? ReopenRequestId,
    string BuyerId,
    RespondentKind Respondent,
    string? RespondentId,
    string? AppealedReason,
    DisputedItem Item,
    DateTimeOffset OpenedAt,
    DateTimeOffset RespondBy,
    DateTimeOffset? RespondentAnsweredAt,
    string? ArbitratorId,
    IReadOnlyList<EvidenceView> Evidence,
    RulingView? Ruling,
    CompensationView? Compensation)
{
    public static CaseView From(CaseState state)
    {
        var file = state.File ?? throw new InvalidOperationException("A case that is not open has no view.");
        var ids = ContractMapping.Ids(file.Origin);
        return new CaseView(
            file.CaseId,
            state.Status,
            ContractMapping.Origin(file.Origin),
            file.OrderId,
            file.LineId,
            ids.ClaimId,
            ids.JobId,
            ids.ReopenRequestId,
            file.BuyerId,
            ContractMapping.RespondentKind(file.Respondent),
            file.Respondent.MerchantId,
            ContractMapping.AppealedReason(file.Origin),
            file.Item,
            file.OpenedAt,
            file.RespondentDeadlineAt,
            state.RespondentAnsweredAt,
            state.ArbitratorId,
            [.. state.Evidence.Select(e => new EvidenceView(ContractMapping.Party(e.Side), e.ActorId, e.Statement, e.Links, e.SubmittedAt))],
            state.Ruling is { } ruling ? RulingView.From(ruling) : null,
            state.Compensation is { } c
                ? new CompensationView(file.CaseId, c.Amount, Arbitration.Domain.Compensation.Currency, ContractMapping.RespondentKind(c.PaidBy), c.InstructedAt, c.Status,
                    c.PaymentReference, c.FailureReason, c.SettledAt)
                : null);
    }
}

public sealed record EvidenceView(CaseParty SubmittedBy, string SubmitterId, string Statement, IReadOnlyList<string> Links, DateTimeOffset SubmittedAt);

/// <param name="ArbitratorId">Null for a default ruling.</param>
public sealed record RulingView(CaseParty InFavourOf, RulingRemedy? Remedy, decimal? Amount, string Rationale, string? ArbitratorId, bool DefaultRuling, DateTimeOffset RuledAt)
{
    public static RulingView From(Ruling ruling)
    {
        var (inFavourOf, remedy, amount) = ContractMapping.VerdictOf(ruling.Verdict);
        return new RulingView(inFavourOf, remedy, amount, ruling.Rationale, ruling.ArbitratorId, ruling.ArbitratorId is null, ruling.RuledAt);
    }
}

/// <param name="InstructionId">The id the trade system pays it under: the case's.</param>
/// <param name="Status">Instructed until the trade system answers; then Paid, or Failed until a later attempt is paid.</param>
public sealed record CompensationView(
    Guid InstructionId,
    decimal Amount,
    string Currency,
    RespondentKind PaidBy,
    DateTimeOffset InstructedAt,
    PaymentStatus Status,
    string? PaymentReference,
    string? FailureReason,
    DateTimeOffset? SettledAt);
