using System.Collections.Immutable;

namespace Arbitration.Domain;

public sealed record CaseFile(
    Guid CaseId,
    string OrderId,
    string LineId,
    string BuyerId,
    CaseOrigin Origin,
    Respondent Respondent,
    DisputedItem Item,
    DateTimeOffset OpenedAt,
    DateTimeOffset RespondentDeadlineAt);

public sealed record Evidence(
    CaseSide Side,
    string ActorId,
    IReadOnlyList<string> Links,
    string Statement,
    DateTimeOffset SubmittedAt);

public enum CaseStatus
{
    NotOpened,
    AwaitingRespondent,
    AwaitingRuling,
    Ruled,
}

public sealed record CaseState
{
    public static CaseState Initial { get; } = new();

    /// <summary>Null until the case opens.</summary>
    public CaseFile? File { get; init; }

    public ImmutableList<Evidence> Evidence { get; init; } = [];

    /// <summary>When the respondent first submitted evidence: from then on it cannot lose by default.</summary>
    public DateTimeOffset? RespondentAnsweredAt { get; init; }

    public string? ArbitratorId { get; init; }
    public Ruling? Ruling { get; init; }

    /// <summary>The compensation the ruling awarded, with the trade system's answer; null when it awarded none.</summary>
    public CompensationPayment? Compensation { get; init; }

    public CaseStatus Status => this switch
    {
        { File: null } => CaseStatus.NotOpened,
        { Ruling: not null } => CaseStatus.Ruled,
        { RespondentAnsweredAt: null } => CaseStatus.AwaitingRespondent,
        _ => CaseStatus.AwaitingRuling,
    };

    public static CaseState Evolve(CaseState state, CaseEvent @event) => @event switch
    {
        CaseEvent.CaseOpened opened => state with
        {
            File = new CaseFile(
                opened.CaseId,
                opened.OrderId,
                opened.LineId,
                opened.BuyerId,
                opened.Origin,
                opened.Respondent,
                opened.Item,
                opened.OpenedAt,
                opened.RespondentDeadlineAt),
        },
        CaseEvent.EvidenceSubmitted submitted => state with
        {
            Evidence = state.Evidence.Add(new Evidence(
                submitted.Side, submitted.ActorId, submitted.Links, submitted.Statement, submitted.SubmittedAt)),
            RespondentAnsweredAt = state.RespondentAnsweredAt
                ?? (submitted.Side == CaseSide.Respondent ? submitted.SubmittedAt : null),
        },
        CaseEvent.ArbitratorAssigned assigned => state with { ArbitratorId = assigned.ArbitratorId },
        CaseEvent.CaseRuled ruled => state with
        {
            Ruling = new Ruling(ruled.Verdict, ruled.Rationale, ruled.ArbitratorId, ruled.RuledAt),
        },
        CaseEvent.CompensationInstructed or CaseEvent.PaymentConfirmed or CaseEvent.PaymentFailed => Domain.Compensation.Evolve(state, @event),
        _ => state,
    };
}
