using Warranty.Domain;
using static Warranty.Domain.WarrantyFileEvent;
using static Warranty.Service.ContractVocabulary;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Views;

/// <summary>The decision as the ClaimApproved message gives it.</summary>
public sealed record ApprovalView(
    Contract.CoverageKind Coverage,
    Contract.Remedy RemedyGranted,
    Contract.ResponsibleParty AnsweredBy,
    Contract.ShippingPayer ShippingPaidBy,
    bool RepeatedFaultReplacement);

/// <summary>The decision as the ClaimRejected message gives it.</summary>
public sealed record RejectionView(Contract.ClaimRejectionReason Reason, bool ReopenRequestMayHelp, bool AppealMayHelp);

/// <summary>One step of a claim, named as the message announcing it; only the fields of that step are set.</summary>
public sealed record ClaimHistoryEntry(
    string Event,
    DateTimeOffset At,
    string? Reason = null,
    DateTimeOffset? RespondBy = null,
    bool? BySilence = null,
    string? Statement = null,
    IReadOnlyList<string>? EvidenceLinks = null,
    string? Resolution = null,
    Guid? JobId = null,
    string? CaseId = null);

/// <param name="BuyerId">The order's buyer.</param>
/// <param name="FiledForBuyerId">The buyer the claimant named; differs from BuyerId only on a claim rejected as NotBuyer.</param>
/// <param name="Resolution">How it ended, as the ClaimResolved message names it (LineRefunded when the line's refund closed it).</param>
/// <param name="Refund">The refund its return or ruling instructed, and whether the trade system paid it.</param>
public sealed record ClaimView(
    Guid ClaimId,
    string OrderId,
    string LineId,
    string BuyerId,
    string MerchantId,
    ClaimStatus Status,
    Contract.RequesterRole FiledByRole,
    string FiledById,
    string FiledForBuyerId,
    Contract.FaultKind Fault,
    string FaultDescription,
    Contract.Remedy RemedyAsked,
    IReadOnlyList<string> EvidenceLinks,
    DateTimeOffset FiledAt,
    ApprovalView? Approval,
    RejectionView? Rejection,
    DateTimeOffset? RespondBy,
    string? Resolution,
    IReadOnlyList<ClaimHistoryEntry> History,
    PaymentView? Refund)
{
    /// <summary>The claim as the file's events tell it; null when the file holds no such claim.</summary>
    public static ClaimView? From(WarrantyFile file, IEnumerable<WarrantyFileEvent> history, Guid claimId)
    {
        if (file is not WarrantyFile.Activated state || !state.Knows(claimId))
        {
            return null;
        }
        var events = history.Where(e => ClaimOf(e) == claimId).ToList();
        var approved = events.OfType<ClaimApproved>().SingleOrDefault();
        var rejected = events.OfType<ClaimRejected>().SingleOrDefault();
        var resolved = events.OfType<ClaimResolved>().SingleOrDefault();
        // The file keeps a claim refused outright by its id alone; its rejection event tells the rest.
        var claim = state.ClaimById(claimId);
        var filing = claim?.Filing ?? rejected!.Filing;
        return new ClaimView(
            claimId, state.OrderId, state.LineId, state.BuyerId, state.MerchantId, claim?.Status ?? ClaimStatus.Rejected,
            ToContract(filing.Claimant.ActingAs), filing.Claimant.ActorId, filing.Claimant.BuyerId,
            ToContract(filing.Fault), filing.Description, ToContract(filing.RemedyAsked), filing.Evidence, filing.FiledAt,
            approved is null ? null : new ApprovalView(ClaimCoverage(approved.Coverage, approved.Remedy), ToContract(approved.Remedy),
                ToContract(approved.Answerer), ToContract(approved.ShippingPaidBy), approved.RepeatRepairReplacement),
            rejected is null ? null : new RejectionView(ToContract(rejected.Reason), rejected.ReopenCanHelp, rejected.AppealCanHelp),
            claim?.RespondBy,
            resolved is null ? null : ResolutionName(resolved),
            [.. events.Select(e => Entry(e, filing))],
            state.Payments.Find(p => p.ClaimId == claimId) is { } refund ? PaymentView.From(refund) : null);
    }

    /// <summary>The claim an event is about; null for the file's own events.</summary>
    public static Guid? ClaimOf(WarrantyFileEvent @event) => @event switch
    {
        ClaimApproved e => e.ClaimId,
        ClaimRejected e => e.ClaimId,
        ClaimAwaitingMerchant e => e.ClaimId,
        ClaimAcceptedByMerchant e => e.ClaimId,
        ClaimRefusedByMerchant e => e.ClaimId,
        ClaimEscalated e => e.ClaimId,
        ClaimResolved e => e.ClaimId,
        _ => null,
    };

    private static ClaimHistoryEntry Entry(WarrantyFileEvent @event, ClaimFiling filing) => @event switch
    {
        ClaimApproved => new("ClaimApproved", filing.FiledAt),
        ClaimRejected e => new("ClaimRejected", filing.FiledAt, Reason: ToContract(e.Reason).ToString()),
        // The wait starts with the approval it follows.
        ClaimAwaitingMerchant e => new("ClaimAwaitingMerchant", filing.FiledAt, RespondBy: e.RespondBy),
        ClaimAcceptedByMerchant e => new("ClaimAcceptedByMerchant", e.At, BySilence: e.BySilence),
        ClaimRefusedByMerchant e => new("ClaimRefusedByMerchant", e.At, Reason: e.Reason, EvidenceLinks: e.Evidence),
        ClaimEscalated e => new("ClaimEscalated", e.At, Statement: e.Statement, EvidenceLinks: e.Evidence),
        ClaimResolved e => new("ClaimResolved", e.At, Resolution: ResolutionName(e), JobId: e.JobId, CaseId: e.CaseId),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "Not a claim event."),
    };

    private static string ResolutionName(ClaimResolved resolved) => ToContract(resolved).ToString();
}
