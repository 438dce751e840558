using Warranty.Domain;
using static Warranty.Domain.WarrantyFileEvent;
using static Warranty.Service.ContractVocabulary;
using Contract = Platform.Contracts.Warranty.V1;
using Payments = Platform.Contracts.Payments.V1;

namespace Warranty.Service;

/// <summary>What a recorded event tells the other services, as a Warranty.V1 message; null when it tells them nothing.</summary>
public static class Announcements
{
    /// <param name="file">The file with the event applied, so the message carries the state it produced.</param>
    public static object? For(WarrantyFileEvent @event, WarrantyFile.Activated file) => @event switch
    {
        // A line refunded before its order completed holds no warranty, though its file records what it would have held.
        WarrantyActivated activated when file.RefundedAt is null => Activated(activated, file),
        ClaimApproved approved => Approved(approved, file),
        ClaimRejected rejected => Rejected(rejected, file),
        ClaimAwaitingMerchant waiting => AwaitingMerchant(waiting, file),
        ClaimAcceptedByMerchant accepted => new Contract.ClaimAcceptedByMerchant
        {
            ClaimId = accepted.ClaimId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            MerchantId = file.MerchantId,
            BuyerId = file.BuyerId,
            RemedyGranted = ToContract(Claim(file, accepted.ClaimId).Remedy!.Value),
            BySilence = accepted.BySilence,
            AcceptedAt = accepted.At,
        },
        ClaimRefusedByMerchant refused => new Contract.ClaimRefusedByMerchant
        {
            ClaimId = refused.ClaimId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            MerchantId = file.MerchantId,
            BuyerId = file.BuyerId,
            Reason = refused.Reason,
            EvidenceLinks = Links(refused.Evidence),
            RefusedAt = refused.At,
        },
        ClaimEscalated escalated => Escalated(escalated, file),
        ClaimResolved resolved => new Contract.ClaimResolved
        {
            ClaimId = resolved.ClaimId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            Resolution = ToContract(resolved),
            JobId = resolved.JobId,
            CaseId = resolved.CaseId is { } caseId ? Guid.Parse(caseId) : null,
            ResolvedAt = resolved.At,
        },
        // A reopening by a ruling names the request or claim its case grew from, which every case has.
        EntryReopened { Request: { } request } reopened => new Contract.EntryReopened
        {
            RequestId = request.RequestId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            BuyerId = file.BuyerId,
            RequestedById = request.Requester.ActorId,
            RequestedByRole = ToContract(request.Requester.ActingAs),
            Fault = ToContract(request.Defect),
            FaultDescription = request.Description,
            Ground = ToContract(reopened.Ground),
            Window = ToContract(reopened.Window),
            ReopenedAt = reopened.At,
            CaseId = reopened.CaseId is { } caseId ? Guid.Parse(caseId) : null,
        },
        ReopenDenied denied => Denied(denied, file),
        ExtendedWarrantyCancelled cancelled => new Contract.ExtendedWarrantyCancelled
        {
            OrderId = file.OrderId,
            LineId = file.LineId,
            BuyerId = file.BuyerId,
            Reason = cancelled.Ground == CancellationGround.LineRefunded
                ? Contract.ExtendedWarrantyCancellationReason.LineRefunded
                : Contract.ExtendedWarrantyCancellationReason.RequestedByBuyer,
            RefundBasis = ToContract(cancelled.Ground),
            PricePaid = file.ExtendedWarranty!.Purchase.Price,
            RefundAmount = cancelled.Refund,
            CancelledAt = cancelled.At,
        },
        RefundInstructed instructed => new Payments.RefundInstructed
        {
            InstructionId = instructed.InstructionId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            BuyerId = file.BuyerId,
            Amount = instructed.Amount,
            Currency = RefundInstructions.Currency,
            Reason = instructed.Reason switch
            {
                PaymentReason.ReturnAccepted => Payments.PaymentReason.ReturnAccepted,
                PaymentReason.RulingRefund => Payments.PaymentReason.RulingRefund,
                _ => Payments.PaymentReason.ExtendedWarrantyCancelled,
            },
            PaidBy = instructed.PaidBy switch
            {
                Payer.Merchant => Payments.Payer.Merchant,
                Payer.Platform => Payments.Payer.Platform,
                _ => Payments.Payer.ExtendedWarrantyPlan,
            },
            MerchantId = instructed.PaidBy == Payer.Merchant ? file.MerchantId : null,
            ClaimId = instructed.ClaimId,
            CaseId = instructed.CaseId is { } caseId ? Guid.Parse(caseId) : null,
            InstructedAt = instructed.At,
        },
        // The rest is the service's own record: a refused activation is kept with the refused messages, a
        // refund was announced by the Order service, and a payment's outcome came from the trade system.
        _ => null,
    };

    /// <summary>The service's own reminder, consumed when the merchant's time is up.</summary>
    public static Contract.MerchantResponseDeadline Deadline(ClaimAwaitingMerchant waiting, WarrantyFile.Activated file) => new()
    {
        ClaimId = waiting.ClaimId,
        OrderId = file.OrderId,
        DueAt = waiting.RespondBy,
    };

    private static Contract.WarrantyActivated Activated(WarrantyActivated activated, WarrantyFile.Activated file) => new()
    {
        OrderId = file.OrderId,
        LineId = file.LineId,
        BuyerId = file.BuyerId,
        MerchantId = file.MerchantId,
        ShippingRegion = file.Details.ShippingRegion,
        Sku = file.Details.Sku,
        Title = file.Details.Title,
        Category = file.Category,
        Brand = file.Details.Brand,
        CompletedAt = activated.TransactionSucceededAt,
        CompletedOn = activated.D0,
        TimeZone = activated.TimeZoneId,
        // The long-discovery window is not a coverage the contract knows; it shows in the file's query.
        Coverages = [.. activated.Coverages.Where(c => c.Kind != CoverageKind.LongDiscovery).Select(c => Coverage(c, file))],
        AfterSalesEntry = ToContract(EntryWindow(file)),
        AfterSalesProtectionApplied = file.EntryClosesAt > file.BaseEntry.End,
        ExtendedWarranty = activated.ExtendedWarranty is { } plan
            ? new Contract.ExtendedWarrantyPlan { PlanYears = plan.Years, PricePaid = plan.Price, IncludesAccidentalDamage = plan.IncludesAccidentalDamage }
            : null,
    };

    public static Contract.Coverage Coverage(CoveragePeriod coverage, WarrantyFile.Activated file) => new()
    {
        Kind = ToContract(coverage.Kind),
        AnsweredBy = ToContract(ClaimDecisions.AnswererOf(coverage.Kind, file)),
        Period = ToContract(coverage.Period),
    };

    private static Contract.ClaimApproved Approved(ClaimApproved approved, WarrantyFile.Activated file) => new()
    {
        ClaimId = approved.ClaimId,
        OrderId = file.OrderId,
        LineId = file.LineId,
        BuyerId = file.BuyerId,
        MerchantId = file.MerchantId,
        ShippingRegion = file.Details.ShippingRegion,
        Sku = file.Details.Sku,
        Title = file.Details.Title,
        Category = file.Category,
        Brand = file.Details.Brand,
        Fault = ToContract(approved.Filing.Fault),
        FaultDescription = approved.Filing.Description,
        Coverage = ClaimCoverage(approved.Coverage, approved.Remedy),
        RemedyAsked = ToContract(approved.Filing.RemedyAsked),
        RemedyGranted = ToContract(approved.Remedy),
        RepeatedFaultReplacement = approved.RepeatRepairReplacement,
        AnsweredBy = ToContract(approved.Answerer),
        ShippingPaidBy = ToContract(approved.ShippingPaidBy),
        // Adjudication decides as of the filing, so that is when the claim was approved.
        ApprovedAt = approved.Filing.FiledAt,
        BuyerPhone = ForAProvider(approved)?.Phone,
        ServiceAddress = ForAProvider(approved)?.Address,
    };

    /// <summary>
    /// The buyer's contact goes out only with an approval a repair provider will carry out (RepairDispatch opens a job
    /// from it), so that no other subscriber learns it.
    /// </summary>
    private static BuyerContact? ForAProvider(ClaimApproved approved) =>
        approved is { Remedy: Remedy.Repair, Answerer: Answerer.Brand or Answerer.ExtendedWarrantyProgramme } ? approved.Filing.Contact : null;

    private static Contract.ClaimRejected Rejected(ClaimRejected rejected, WarrantyFile.Activated file)
    {
        var line = LineFacts.Of(file, ClaimDecisions.MayNameTheLine(rejected.Reason));
        return new()
        {
            ClaimId = rejected.ClaimId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            BuyerId = rejected.Filing.Claimant.BuyerId,
            MerchantId = line.MerchantId,
            ShippingRegion = line.ShippingRegion,
            Sku = line.Sku,
            Title = line.Title,
            Category = line.Category,
            Brand = line.Brand,
            Fault = ToContract(rejected.Filing.Fault),
            FaultDescription = rejected.Filing.Description,
            RemedyAsked = ToContract(rejected.Filing.RemedyAsked),
            Reason = ToContract(rejected.Reason),
            ReopenRequestMayHelp = rejected.ReopenCanHelp,
            AppealMayHelp = rejected.AppealCanHelp,
            RejectedAt = rejected.Filing.FiledAt,
        };
    }

    private static Contract.ClaimAwaitingMerchant AwaitingMerchant(ClaimAwaitingMerchant waiting, WarrantyFile.Activated file)
    {
        var claim = Claim(file, waiting.ClaimId);
        return new()
        {
            ClaimId = waiting.ClaimId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            MerchantId = waiting.MerchantId,
            BuyerId = file.BuyerId,
            Coverage = ClaimCoverage(claim.Coverage!.Value, claim.Remedy!.Value),
            RemedyGranted = ToContract(claim.Remedy.Value),
            RespondBy = waiting.RespondBy,
        };
    }

    private static Contract.ClaimEscalated Escalated(ClaimEscalated escalated, WarrantyFile.Activated file)
    {
        var claim = Claim(file, escalated.ClaimId);
        return new()
        {
            ClaimId = escalated.ClaimId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            BuyerId = file.BuyerId,
            MerchantId = file.MerchantId,
            ShippingRegion = file.Details.ShippingRegion,
            Sku = file.Details.Sku,
            Title = file.Details.Title,
            Category = file.Category,
            Brand = file.Details.Brand,
            Fault = ToContract(claim.Filing.Fault),
            FaultDescription = claim.Filing.Description,
            RemedyGranted = ToContract(claim.Remedy!.Value),
            MerchantReason = claim.MerchantRefusal!,
            Statement = escalated.Statement,
            EvidenceLinks = Links(escalated.Evidence),
            EscalatedAt = escalated.At,
        };
    }

    private static Contract.ReopenDenied Denied(ReopenDenied denied, WarrantyFile.Activated file)
    {
        var line = LineFacts.Of(file, EntryDecisions.MayNameTheLine(denied.Reason));
        return new()
        {
            RequestId = denied.Request.RequestId,
            OrderId = file.OrderId,
            LineId = file.LineId,
            BuyerId = denied.Request.Requester.BuyerId,
            MerchantId = line.MerchantId,
            ShippingRegion = line.ShippingRegion,
            Sku = line.Sku,
            Title = line.Title,
            Category = line.Category,
            Brand = line.Brand,
            RequestedById = denied.Request.Requester.ActorId,
            RequestedByRole = ToContract(denied.Request.Requester.ActingAs),
            Fault = ToContract(denied.Request.Defect),
            FaultDescription = denied.Request.Description,
            Reason = ToContract(denied.Reason),
            AppealMayHelp = denied.AppealPossible,
            DeniedAt = denied.At,
        };
    }

    /// <summary>
    /// The merchant and product of the line, or empty strings where the answer goes to someone who did not buy
    /// it: the contract requires the fields, and empty is what its description promises for that case.
    /// </summary>
    private sealed record LineFacts(string MerchantId, string ShippingRegion, string Sku, string Title, string Category, string Brand)
    {
        private static readonly LineFacts None = new("", "", "", "", "", "");

        public static LineFacts Of(WarrantyFile.Activated file, bool mayName) => mayName
            ? new(file.MerchantId, file.Details.ShippingRegion, file.Details.Sku, file.Details.Title, file.Category, file.Details.Brand)
            : None;
    }

    private static ClaimRecord Claim(WarrantyFile.Activated file, Guid claimId) =>
        file.ClaimById(claimId) ?? throw new InvalidOperationException($"Claim {claimId} was recorded but is not on the file.");

    private static List<Uri> Links(IReadOnlyList<string> evidence) => [.. evidence.Select(link => new Uri(link, UriKind.Absolute))];
}
