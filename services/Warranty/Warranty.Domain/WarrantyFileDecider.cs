using Platform.Domain;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain;

/// <summary>
/// The warranty file's decider. Decide is pure: the same command, state and policy always give the same events,
/// and no events mean the command was already satisfied (a duplicate, a stale deadline). A command the state
/// cannot take is refused with a <see cref="WarrantyRefusalCode"/>.
/// </summary>
public static class WarrantyFileDecider
{
    public static Decision<WarrantyFileEvent> Decide(WarrantyFileCommand command, WarrantyFile state, WarrantyPolicy policy) =>
        (command, state) switch
        {
            (ActivateWarranty activate, WarrantyFile.NotActivated pending) => Activate(activate, pending, policy),
            (ActivateWarranty, WarrantyFile.Activated) => Decide<WarrantyFileEvent>.Nothing,
            (RecordLineRefund refund, WarrantyFile.NotActivated { RefundedAt: null }) => Decide<WarrantyFileEvent>.Accept(new LineRefunded(refund.Now)),
            (RecordLineRefund, WarrantyFile.NotActivated) => Decide<WarrantyFileEvent>.Nothing,
            (RecordLineRefund refund, WarrantyFile.Activated file) => Decide<WarrantyFileEvent>.Accept(RefundLine(refund.Now, file)),
            (ConfirmPayment confirm, WarrantyFile.NotActivated) => RefundInstructions.UnknownInstruction(confirm.InstructionId),
            (RecordPaymentFailure failure, WarrantyFile.NotActivated) => RefundInstructions.UnknownInstruction(failure.InstructionId),
            (_, WarrantyFile.NotActivated) => Decide<WarrantyFileEvent>.Refuse(WarrantyRefusalCode.WarrantyNotActivated,
                "This order line has no warranty file: its order has not completed."),
            (RequestReopen reopen, WarrantyFile.Activated file) => Decide<WarrantyFileEvent>.Accept(EntryDecisions.Reopen(reopen, file, policy)),
            (FileClaim claim, WarrantyFile.Activated file) => ClaimDecisions.File(claim, file, policy),
            (AcceptClaim accept, WarrantyFile.Activated file) => ClaimDecisions.Accept(accept, file),
            (RefuseClaim refuse, WarrantyFile.Activated file) => ClaimDecisions.Refuse(refuse, file),
            (CheckMerchantResponseDeadline check, WarrantyFile.Activated file) => ClaimDecisions.CheckDeadline(check, file),
            (EscalateClaim escalate, WarrantyFile.Activated file) => ClaimDecisions.Escalate(escalate, file),
            (CompleteRepair complete, WarrantyFile.Activated file) => ClaimDecisions.CompleteRepair(complete, file),
            (AcceptReturn accept, WarrantyFile.Activated file) => ClaimDecisions.AcceptReturn(accept, file),
            (ApplyRuling ruling, WarrantyFile.Activated file) => ClaimDecisions.ApplyRuling(ruling, file, policy),
            (CancelExtendedWarranty cancel, WarrantyFile.Activated file) => Decide<WarrantyFileEvent>.Accept(CancelExtendedWarranty(cancel.Now, file)),
            (ConfirmPayment confirm, WarrantyFile.Activated file) => RefundInstructions.Confirm(confirm, file),
            (RecordPaymentFailure failure, WarrantyFile.Activated file) => RefundInstructions.Fail(failure, file),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown warranty file command."),
        };

    /// <summary>
    /// The coverages are computed here, once, and carried by the event. A refund that overtook the activation is
    /// honoured straight away, so the extended plan of a refunded line is cancelled with a full refund.
    /// </summary>
    private static Decision<WarrantyFileEvent> Activate(ActivateWarranty command, WarrantyFile.NotActivated pending, WarrantyPolicy policy)
    {
        if (Contradictions(command) is { } reason)
            return Decide<WarrantyFileEvent>.RefuseAndRecord(WarrantyRefusalCode.ActivationRefused, reason,
                reason == pending.RefusalReason ? [] : [new WarrantyActivationRefused(reason)]);

        var calendar = BusinessCalendar.For(policy.BusinessTimeZoneId);
        var d0 = calendar.LocalDateOf(command.TransactionSucceededAt);
        var terms = policy.TermsFor(command.Category);
        var coverages = Coverage.ForLine(calendar, d0, new CoverageTerms(
            terms.ReturnDays, terms.ReplaceDays, terms.RepairMonths,
            command.ManufacturerWarrantyMonths, command.MerchantWarrantyMonths,
            terms.LongDiscoveryDays, command.ExtendedWarranty?.Years));
        var activated = new WarrantyActivated(
            command.OrderId, command.LineId, command.BuyerId, command.MerchantId, command.Category, command.Details, calendar.ZoneId,
            command.TransactionSucceededAt, d0, coverages, EntryDecisions.BaseEntry(calendar, d0, terms.EntryDays),
            policy.AfterSalesProtection, command.ExtendedWarranty, command.AmountPaid);

        if (pending.RefundedAt is { } refundedAt
            && WarrantyFile.Evolve(pending, activated) is WarrantyFile.Activated { ExtendedWarranty: { } plan } file)
        {
            var cancelled = FullRefund(plan, file.Calendar, refundedAt);
            return Decide<WarrantyFileEvent>.Accept([activated, cancelled, .. RefundInstructions.PlanRefund(file.OrderId, file.LineId, cancelled)]);
        }
        return Decide<WarrantyFileEvent>.Accept(activated);
    }

    private const int MaxWarrantyMonths = 1200;

    private static string? Contradictions(ActivateWarranty command)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(command.BuyerId))
            problems.Add("the line names no buyer");
        if (string.IsNullOrWhiteSpace(command.MerchantId))
            problems.Add("the line names no merchant");
        if (command.ManufacturerWarrantyMonths < 0)
            problems.Add($"manufacturerWarrantyMonths is {command.ManufacturerWarrantyMonths}, below zero");
        if (command.MerchantWarrantyMonths < 0)
            problems.Add($"merchantWarrantyMonths is {command.MerchantWarrantyMonths}, below zero");
        if (command.ExtendedWarranty is { Years: < 1 or > 3 } plan)
            problems.Add($"an extended warranty of {plan.Years} years; plans run 1, 2 or 3 years");
        // Periods are counted on a calendar that ends in the year 9999: more months than that is no promise.
        if (command.ManufacturerWarrantyMonths > MaxWarrantyMonths)
            problems.Add($"manufacturerWarrantyMonths is {command.ManufacturerWarrantyMonths}, beyond the calendar");
        if (command.MerchantWarrantyMonths > MaxWarrantyMonths)
            problems.Add($"merchantWarrantyMonths is {command.MerchantWarrantyMonths}, beyond the calendar");
        if (command.ExtendedWarranty is { Price: < 0 } paid)
            problems.Add($"an extended warranty price of {paid.Price}, below zero");
        return problems.Count == 0 ? null : "OrderCompleted line refused: " + string.Join("; ", problems) + ".";
    }

    /// <summary>A refunded line ends everything on it: an open claim has nothing left to serve, and the plan is refunded in full.</summary>
    private static IReadOnlyList<WarrantyFileEvent> RefundLine(DateTimeOffset now, WarrantyFile.Activated file)
    {
        if (file.RefundedAt is not null)
            return [];

        var events = new List<WarrantyFileEvent> { new LineRefunded(now) };
        if (file.OpenClaim is { } open)
            events.Add(new ClaimResolved(open.ClaimId, ClaimResolution.LineRefunded, now));
        if (file.ExtendedWarranty is { Cancellation: null } plan)
        {
            var cancelled = FullRefund(plan, file.Calendar, now);
            events.Add(cancelled);
            events.AddRange(RefundInstructions.PlanRefund(file.OrderId, file.LineId, cancelled));
        }
        return events;
    }

    private static ExtendedWarrantyCancelled FullRefund(ExtendedWarrantyPlan plan, BusinessCalendar calendar, DateTimeOffset at)
    {
        var quote = ExtendedWarrantyRefund.Quote(plan, calendar.LocalDateOf(at));
        return new ExtendedWarrantyCancelled(plan.Purchase.Price, CancellationGround.LineRefunded, quote.RemainingDays, quote.TotalDays, at);
    }

    /// <summary>Cancelling a plan that is absent, already cancelled or already over changes nothing.</summary>
    private static IReadOnlyList<WarrantyFileEvent> CancelExtendedWarranty(DateTimeOffset now, WarrantyFile.Activated file)
    {
        if (file.ExtendedWarranty is not { Cancellation: null } plan || now >= plan.Period.End)
            return [];

        var quote = ExtendedWarrantyRefund.Quote(plan, file.Calendar.LocalDateOf(now));
        var cancelled = new ExtendedWarrantyCancelled(quote.Amount, quote.Ground, quote.RemainingDays, quote.TotalDays, now);
        return [cancelled, .. RefundInstructions.PlanRefund(file.OrderId, file.LineId, cancelled)];
    }
}
