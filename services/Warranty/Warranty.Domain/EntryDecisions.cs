using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain;

/// <summary>What a reopen request would get at a given instant: a ground to reopen on, or a reason to deny.</summary>
public abstract record ReopenEvaluation
{
    private ReopenEvaluation() { }

    public sealed record Granted(ReopenGround Ground) : ReopenEvaluation
    {
        internal override WarrantyFileEvent Answer(RequestReopen request, BusinessCalendar calendar, WarrantyPolicy policy) =>
            new EntryReopened(Ground, EntryDecisions.ReopenWindow(calendar, request.Now, policy), request.Request, CaseId: null, request.Now);
    }

    /// <summary>Every period-based denial can be appealed to arbitration (docs/domain.md).</summary>
    public sealed record Denied(ReopenDenialReason Reason) : ReopenEvaluation
    {
        internal override WarrantyFileEvent Answer(RequestReopen request, BusinessCalendar calendar, WarrantyPolicy policy) =>
            new ReopenDenied(Reason, AppealPossible: true, request.Request, request.Now);
    }

    internal abstract WarrantyFileEvent Answer(RequestReopen request, BusinessCalendar calendar, WarrantyPolicy policy);
}

/// <summary>The after-sales entry (售后入口): its base window and the reopen rules.</summary>
public static class EntryDecisions
{
    /// <summary>
    /// "15 days after d0" ends with the close of d0 + 15: the day of transaction success comes on top, unlike
    /// the "d0 to d0 + N − 1" of the return window, so a replacement claim on its last day finds the entry open.
    /// </summary>
    public static LocalPeriod BaseEntry(BusinessCalendar calendar, DateOnly d0, int entryDays) =>
        Coverage.ThroughDaysAfter(calendar, d0, entryDays);

    /// <summary>A reopened entry stays open through the close of the request's local date + ReopenDays, counted like the base window.</summary>
    public static LocalPeriod ReopenWindow(BusinessCalendar calendar, DateTimeOffset now, WarrantyPolicy policy) =>
        Coverage.ThroughDaysAfter(calendar, calendar.LocalDateOf(now), policy.ReopenDays);

    /// <summary>
    /// docs/domain.md's grounds in their order: within the 三包 period; beyond it but within the merchant commitment;
    /// beyond both, for a long-discovery category within its limit and with a long-discovery defect. In a
    /// long-discovery category the denial names which of the last two conditions failed, the defect's kind or the
    /// limit, so that the buyer, and an arbitrator hearing the appeal, see which one to argue.
    /// </summary>
    public static ReopenEvaluation EvaluateReopen(WarrantyFile.Activated file, FaultKind defect, DateTimeOffset at)
    {
        if (file.ThreeGuaranteesPeriod?.Contains(at) == true)
            return new ReopenEvaluation.Granted(ReopenGround.ThreeGuarantees);
        if (file.CoverageOf(CoverageKind.MerchantCommitment)?.ActiveAt(at) == true)
            return new ReopenEvaluation.Granted(ReopenGround.MerchantCommitment);
        if (file.CoverageOf(CoverageKind.LongDiscovery) is { } longDiscovery)
        {
            if (defect != FaultKind.LongDiscoveryDefect)
                return new ReopenEvaluation.Denied(ReopenDenialReason.NotLongDiscoveryDefect);
            return longDiscovery.ActiveAt(at)
                ? new ReopenEvaluation.Granted(ReopenGround.LongDiscovery)
                : new ReopenEvaluation.Denied(ReopenDenialReason.LongDiscoveryLimitPassed);
        }

        return new ReopenEvaluation.Denied(ReopenDenialReason.BeyondThreeGuaranteesAndCommitment);
    }

    /// <summary>Whether a denial may be told with the line's product and merchant: not to someone who did not buy it.</summary>
    public static bool MayNameTheLine(ReopenDenialReason reason) => reason != ReopenDenialReason.NotBuyer;

    internal static IReadOnlyList<WarrantyFileEvent> Reopen(RequestReopen command, WarrantyFile.Activated file, WarrantyPolicy policy)
    {
        var request = command.Request;
        if (request.Requester.BuyerId != file.BuyerId)
            return [new ReopenDenied(ReopenDenialReason.NotBuyer, AppealPossible: false, request, command.Now)];
        if (file.RefundedAt is not null)
            return [new ReopenDenied(ReopenDenialReason.LineRefunded, AppealPossible: false, request, command.Now)];
        if (file.EntryOpenAt(command.Now))
            return [];

        return [EvaluateReopen(file, request.Defect, command.Now).Answer(command, file.Calendar, policy)];
    }
}
