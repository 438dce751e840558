using Arbitration.Domain;
using Contract = Platform.Contracts.Arbitration.V1;
using Payments = Platform.Contracts.Payments.V1;
using WarrantyRemedy = Platform.Contracts.Warranty.V1.Remedy;

namespace Arbitration.Service.Cases;

/// <summary>Between the domain's case and the Arbitration.V1 messages the other services read.</summary>
public static class ContractMapping
{
    /// <summary>The ids of what opened the case, as the contracts carry them.</summary>
    public sealed record OriginIds(Guid? ClaimId, Guid? JobId, Guid? ReopenRequestId);

    public static Contract.CaseOrigin Origin(CaseOrigin origin) => origin switch
    {
        CaseOrigin.ClaimRefusedByMerchant => Contract.CaseOrigin.ClaimEscalated,
        CaseOrigin.ClaimRejected => Contract.CaseOrigin.ClaimRejectionAppealed,
        CaseOrigin.ReopenDenied => Contract.CaseOrigin.ReopenDenialAppealed,
        CaseOrigin.RepairJobEscalated => Contract.CaseOrigin.RepairJobEscalated,
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown case origin"),
    };

    public static OriginIds Ids(CaseOrigin origin) => origin switch
    {
        CaseOrigin.ClaimRefusedByMerchant refused => new(refused.ClaimId, null, null),
        CaseOrigin.ClaimRejected rejected => new(rejected.ClaimId, null, null),
        CaseOrigin.ReopenDenied denied => new(null, null, denied.RequestId),
        CaseOrigin.RepairJobEscalated escalated => new(escalated.ClaimId, escalated.JobId, null),
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown case origin"),
    };

    /// <summary>The reason of the platform decision an appeal disputes; null for escalations.</summary>
    public static string? AppealedReason(CaseOrigin origin) => origin switch
    {
        CaseOrigin.ClaimRejected rejected => rejected.RejectionReason,
        CaseOrigin.ReopenDenied denied => denied.DenialReason,
        _ => null,
    };

    public static Contract.RespondentKind RespondentKind(Respondent respondent) => respondent.Role switch
    {
        ActorRole.Merchant => Contract.RespondentKind.Merchant,
        ActorRole.PlatformRepairOperations => Contract.RespondentKind.PlatformRepairOperations,
        _ => throw new ArgumentOutOfRangeException(nameof(respondent), respondent, "Not a respondent"),
    };

    public static Contract.CaseParty Party(CaseSide side) => side switch
    {
        CaseSide.Buyer => Contract.CaseParty.Buyer,
        CaseSide.Respondent => Contract.CaseParty.Respondent,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "Unknown side"),
    };

    public static (Contract.CaseParty InFavourOf, Contract.RulingRemedy? Remedy, decimal? Amount) VerdictOf(Verdict verdict) => verdict switch
    {
        Verdict.ForRespondent => (Contract.CaseParty.Respondent, null, null),
        Verdict.ForBuyer { Remedy: Remedy.Refund } => (Contract.CaseParty.Buyer, Contract.RulingRemedy.Refund, null),
        Verdict.ForBuyer { Remedy: Remedy.Replacement } => (Contract.CaseParty.Buyer, Contract.RulingRemedy.Replacement, null),
        Verdict.ForBuyer { Remedy: Remedy.RepairAtPlatformCost } => (Contract.CaseParty.Buyer, Contract.RulingRemedy.RepairAtPlatformCost, null),
        Verdict.ForBuyer { Remedy: Remedy.ReopenEntry } => (Contract.CaseParty.Buyer, Contract.RulingRemedy.ReopenEntry, null),
        Verdict.ForBuyer { Remedy: Remedy.Compensation compensation } => (Contract.CaseParty.Buyer, Contract.RulingRemedy.Compensation, compensation.Amount),
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unknown verdict"),
    };

    // The two enums share their names. An undefined number on the wire passes through unchanged, for
    // the decider to refuse with a reason instead of the consumer failing on it.
    public static ClaimRemedy ClaimRemedyOf(WarrantyRemedy remedy) => Enum.Parse<ClaimRemedy>(remedy.ToString());

    public static Contract.CaseOpened CaseOpened(CaseEvent.CaseOpened opened)
    {
        var ids = Ids(opened.Origin);
        return new Contract.CaseOpened
        {
            CaseId = opened.CaseId,
            Origin = Origin(opened.Origin),
            OrderId = opened.OrderId,
            LineId = opened.LineId,
            ClaimId = ids.ClaimId,
            JobId = ids.JobId,
            ReopenRequestId = ids.ReopenRequestId,
            BuyerId = opened.BuyerId,
            Respondent = RespondentKind(opened.Respondent),
            RespondentId = opened.Respondent.MerchantId,
            ShippingRegion = opened.Item.ShippingRegion,
            Sku = opened.Item.Sku,
            Title = opened.Item.Title,
            Category = opened.Item.Category,
            Brand = opened.Item.Brand,
            FaultDescription = opened.Item.FaultDescription,
            OpenedAt = opened.OpenedAt,
            RespondBy = opened.RespondentDeadlineAt,
        };
    }

    public static Contract.RespondentDeadline RespondentDeadline(CaseEvent.CaseOpened opened) => new()
    {
        CaseId = opened.CaseId,
        OrderId = opened.OrderId,
        DueAt = opened.RespondentDeadlineAt,
    };

    public static Contract.EvidenceSubmitted EvidenceSubmitted(CaseFile file, CaseEvent.EvidenceSubmitted submitted) => new()
    {
        CaseId = submitted.CaseId,
        OrderId = file.OrderId,
        SubmittedBy = Party(submitted.Side),
        SubmitterId = submitted.ActorId,
        Statement = submitted.Statement,
        EvidenceLinks = [.. submitted.Links.Select(link => new Uri(link, UriKind.RelativeOrAbsolute))],
        SubmittedAt = submitted.SubmittedAt,
    };

    public static Contract.RulingIssued RulingIssued(CaseFile file, CaseEvent.CaseRuled ruled)
    {
        var ids = Ids(file.Origin);
        var (inFavourOf, remedy, amount) = VerdictOf(ruled.Verdict);
        return new Contract.RulingIssued
        {
            CaseId = file.CaseId,
            Origin = Origin(file.Origin),
            OrderId = file.OrderId,
            LineId = file.LineId,
            ClaimId = ids.ClaimId,
            JobId = ids.JobId,
            ReopenRequestId = ids.ReopenRequestId,
            BuyerId = file.BuyerId,
            Respondent = RespondentKind(file.Respondent),
            RespondentId = file.Respondent.MerchantId,
            InFavourOf = inFavourOf,
            Remedy = remedy,
            Amount = amount,
            Rationale = ruled.Rationale,
            DefaultRuling = ruled.ArbitratorId is null,
            ArbitratorId = ruled.ArbitratorId,
            ShippingRegion = file.Item.ShippingRegion,
            Sku = file.Item.Sku,
            Title = file.Item.Title,
            Category = file.Item.Category,
            Brand = file.Item.Brand,
            FaultDescription = file.Item.FaultDescription,
            RuledAt = ruled.RuledAt,
        };
    }

    /// <summary>The case's id is the instruction's: a case is ruled once, so it instructs one compensation at most.</summary>
    public static Payments.CompensationInstructed CompensationInstructed(CaseFile file, CaseState state, CaseEvent.CompensationInstructed instructed) => new()
    {
        InstructionId = file.CaseId,
        CaseId = file.CaseId,
        OrderId = file.OrderId,
        LineId = file.LineId,
        BuyerId = file.BuyerId,
        Amount = instructed.Amount,
        Currency = Compensation.Currency,
        Reason = Payments.PaymentReason.RulingCompensation,
        PaidBy = instructed.PaidBy.Role == ActorRole.Merchant ? Payments.Payer.Merchant : Payments.Payer.Platform,
        MerchantId = instructed.PaidBy.MerchantId,
        ClaimId = Ids(file.Origin).ClaimId,
        InstructedAt = instructed.InstructedAt,
    };
}
