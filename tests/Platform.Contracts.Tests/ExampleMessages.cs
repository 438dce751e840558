using A = Platform.Contracts.Arbitration.V1;
using O = Platform.Contracts.Orders.V1;
using P = Platform.Contracts.Payments.V1;
using R = Platform.Contracts.Repair.V1;
using T = Platform.Contracts.Trade.V1;
using W = Platform.Contracts.Warranty.V1;

namespace Platform.Contracts.Tests;

/// <summary>
/// One realistic instance of every message, written by hand because a generated one ("orderId-sample")
/// teaches an integrator nothing. They tell one story, so that ids and times agree across messages:
/// an order of a phone and a microwave in Guangdong; the microwave refunded; a flickering screen
/// claimed, refused by the merchant, escalated, ruled a repair at the platform's cost, declined by
/// one provider and repaired by the next;
/// the microwave's extended warranty refunded and the refund paid, and a second case's compensation failing
/// at first. A field that does not apply to its message in that story
/// is null, as on the wire: ExampleTests holds every property present, as a value or as null.
/// </summary>
internal static class ExampleMessages
{
    private const string OrderId = "T20260302-0000884213";
    private const string BuyerId = "buyer-30117";
    private const string MerchantId = "merchant-gz-0042";
    private const string Region = "GD";
    private const string CustomerServiceAgent = "cs-agent-1207";
    private const string FirstProvider = "gd-szfix-01";
    private const string SecondProvider = "gd-huarui-02";
    private const string Arbitrator = "arb-2";

    private const string PhoneLine = "L1";
    private const string PhoneSku = "HW-MATE60PRO-12-512-BLK";
    private const string PhoneTitle = "Huawei Mate 60 Pro 12 GB + 512 GB, black";
    private const string Phones = "phones";
    private const string Huawei = "Huawei";
    private const string Flicker = "The screen flickers and goes black whenever brightness is below 30 %, since the third day of use.";

    private const string MicrowaveLine = "L2";

    private static readonly Guid ClaimId = new("7c1e4b52-93a0-4d8e-b6f1-2a5d0c9e3f71");
    private static readonly Guid RejectedClaimId = new("a24f6c08-1d3b-4e95-8c70-6b2e9d1f4a53");
    private static readonly Guid ReopenRequestId = new("4d6a8e21-0c3f-4b59-8e7d-1f2a3b4c5d6e");
    private static readonly Guid DeniedReopenRequestId = new("c9b31e7a-52d4-4f08-9a6c-e17d3b2f5c84");
    private static readonly Guid CaseId = new("e3a95c10-6b7d-8f24-a1c3-5d9e2f4b7a68");
    private static readonly Guid JobId = new("0b8f2d64-5e1a-4c37-9a82-d4e6f1b7c205");

    private static readonly Uri FlickerVideo = new("https://files.example.com/claims/7c1e4b52/screen-flicker.mp4");
    private static readonly Uri FlickerPhoto = new("https://files.example.com/claims/7c1e4b52/screen-at-20-percent.jpg");
    private static readonly Uri MerchantPhoto = new("https://files.example.com/cases/e3a95c10/merchant-corner-close-up.jpg");

    private static readonly DateTimeOffset PlacedAt = At("2026-03-02T06:14:09Z");
    private static readonly DateTimeOffset ConfirmedAt = At("2026-03-05T11:40:00Z");
    private static readonly DateTimeOffset RefundedAt = At("2026-03-06T03:05:00Z");

    /// <summary>The example of each message type.</summary>
    public static IReadOnlyDictionary<Type, object> ByType { get; } = All().ToDictionary(m => m.GetType());

    private static IEnumerable<object> All() =>
    [
        .. Trade(),
        .. Orders(),
        .. Warranty(),
        .. Repair(),
        .. Arbitration(),
        .. Payments(),
    ];

    private static IEnumerable<object> Trade() =>
    [
        new T.OrderPlaced
        {
            OrderId = OrderId,
            BuyerId = BuyerId,
            MerchantId = MerchantId,
            ShippingRegion = Region,
            Lines =
            [
                new T.OrderLine
                {
                    LineId = PhoneLine, Sku = PhoneSku, Title = PhoneTitle, Category = Phones, Brand = Huawei,
                    UnitPrice = 6999.00m, Quantity = 1, ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 0,
                    ExtendedWarranty = new T.ExtendedWarrantyPurchase { PlanYears = 2, PricePaid = 399.00m, IncludesAccidentalDamage = true },
                },
                new T.OrderLine
                {
                    LineId = MicrowaveLine, Sku = "MD-M1L213B-WHT", Title = "Midea M1-L213B microwave oven, 21 L, white", Category = "home-appliances",
                    Brand = "Midea", UnitPrice = 499.00m, Quantity = 1, ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 6,
                    ExtendedWarranty = new T.ExtendedWarrantyPurchase { PlanYears = 1, PricePaid = 59.00m, IncludesAccidentalDamage = false },
                },
            ],
            PlacedAt = PlacedAt,
        },
        new T.OrderPaid { OrderId = OrderId, PaidAt = At("2026-03-02T06:15:41Z") },
        new T.OrderShipped { OrderId = OrderId, ShippedAt = At("2026-03-03T02:30:00Z") },
        new T.OrderDelivered { OrderId = OrderId, DeliveredAt = At("2026-03-04T09:12:00Z") },
        new T.OrderReceiptConfirmed { OrderId = OrderId, ConfirmedAt = ConfirmedAt },
        new T.OrderLineRefunded { OrderId = OrderId, LineId = MicrowaveLine, RefundId = "RF-2026031500731", RefundAmount = 499.00m, RefundedAt = RefundedAt },
    ];

    private static IEnumerable<object> Orders() =>
    [
        new O.AutomaticReceiptConfirmationDue { OrderId = OrderId, DueAt = At("2026-03-13T02:30:00Z") },
        new O.OrderCompleted
        {
            OrderId = OrderId,
            BuyerId = BuyerId,
            MerchantId = MerchantId,
            ShippingRegion = Region,
            Lines =
            [
                new O.CompletedOrderLine
                {
                    LineId = PhoneLine, Sku = PhoneSku, Title = PhoneTitle, Category = Phones, Brand = Huawei,
                    UnitPrice = 6999.00m, Quantity = 1, ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 0,
                    ExtendedWarranty = new O.ExtendedWarrantyPurchase { PlanYears = 2, PricePaid = 399.00m, IncludesAccidentalDamage = true },
                    Refunded = false,
                },
                new O.CompletedOrderLine
                {
                    LineId = MicrowaveLine, Sku = "MD-M1L213B-WHT", Title = "Midea M1-L213B microwave oven, 21 L, white", Category = "home-appliances",
                    Brand = "Midea", UnitPrice = 499.00m, Quantity = 1, ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 6,
                    ExtendedWarranty = new O.ExtendedWarrantyPurchase { PlanYears = 1, PricePaid = 59.00m, IncludesAccidentalDamage = false },
                    Refunded = false,
                },
            ],
            CompletedAt = ConfirmedAt,
            ConfirmedBy = O.ReceiptConfirmedBy.Buyer,
        },
        new O.OrderLineRefunded { OrderId = OrderId, LineId = MicrowaveLine, BuyerId = BuyerId, RefundAmount = 499.00m, RefundedAt = RefundedAt },
    ];

    private static IEnumerable<object> Warranty() =>
    [
        new W.WarrantyActivated
        {
            OrderId = OrderId,
            LineId = PhoneLine,
            BuyerId = BuyerId,
            MerchantId = MerchantId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            CompletedAt = ConfirmedAt,
            CompletedOn = new DateOnly(2026, 3, 5),
            TimeZone = "Asia/Shanghai",
            Coverages =
            [
                Coverage(W.CoverageKind.StatutoryReturn, W.ResponsibleParty.Merchant, "2026-03-05", "2026-03-11"),
                Coverage(W.CoverageKind.StatutoryReplacement, W.ResponsibleParty.Merchant, "2026-03-05", "2026-03-19"),
                Coverage(W.CoverageKind.StatutoryRepair, W.ResponsibleParty.Brand, "2026-03-05", "2027-03-05"),
                Coverage(W.CoverageKind.NationalJointWarranty, W.ResponsibleParty.Brand, "2026-03-05", "2027-03-05"),
                Coverage(W.CoverageKind.ExtendedWarranty, W.ResponsibleParty.ExtendedWarrantyProgramme, "2027-03-06", "2029-03-05"),
            ],
            AfterSalesEntry = Period("2026-03-05", "2026-03-20"),
            AfterSalesProtectionApplied = false,
            ExtendedWarranty = new W.ExtendedWarrantyPlan { PlanYears = 2, PricePaid = 399.00m, IncludesAccidentalDamage = true },
        },
        new W.ClaimFiled
        {
            ClaimId = ClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimantId = CustomerServiceAgent,
            ClaimantRole = W.RequesterRole.CustomerService,
            BuyerId = BuyerId,
            Fault = W.FaultKind.QualityFault,
            FaultDescription = Flicker,
            RemedyAsked = W.Remedy.Return,
            EvidenceLinks = [FlickerVideo, FlickerPhoto],
            FiledAt = At("2026-03-09T01:20:00Z"),
            BuyerPhone = "+8613800000000",
            ServiceAddress = "Flat 1203, Block A, 1 Keji Road, Nanshan District, Shenzhen",
        },
        new W.ClaimApproved
        {
            ClaimId = ClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            BuyerId = BuyerId,
            MerchantId = MerchantId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            Fault = W.FaultKind.QualityFault,
            FaultDescription = Flicker,
            Coverage = W.CoverageKind.StatutoryReturn,
            RemedyAsked = W.Remedy.Return,
            RemedyGranted = W.Remedy.Return,
            RepeatedFaultReplacement = false,
            AnsweredBy = W.ResponsibleParty.Merchant,
            ShippingPaidBy = W.ShippingPayer.Merchant,
            ApprovedAt = At("2026-03-09T01:20:02Z"),
        },
        new W.ClaimRejected
        {
            ClaimId = RejectedClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            BuyerId = BuyerId,
            MerchantId = MerchantId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            Fault = W.FaultKind.AccidentalDamage,
            FaultDescription = "Dropped on a tiled floor; the back glass is shattered.",
            RemedyAsked = W.Remedy.Repair,
            Reason = W.ClaimRejectionReason.EntryClosed,
            ReopenRequestMayHelp = true,
            AppealMayHelp = false,
            RejectedAt = At("2026-06-10T04:02:11Z"),
        },
        new W.ClaimAwaitingMerchant
        {
            ClaimId = ClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            MerchantId = MerchantId,
            BuyerId = BuyerId,
            Coverage = W.CoverageKind.StatutoryReturn,
            RemedyGranted = W.Remedy.Return,
            RespondBy = At("2026-03-11T01:20:02Z"),
        },
        new W.MerchantResponseDeadline { ClaimId = ClaimId, OrderId = OrderId, DueAt = At("2026-03-11T01:20:02Z") },
        new W.ClaimAcceptedByMerchant
        {
            ClaimId = ClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            MerchantId = MerchantId,
            BuyerId = BuyerId,
            RemedyGranted = W.Remedy.Return,
            BySilence = true,
            AcceptedAt = At("2026-03-11T01:20:02Z"),
        },
        new W.ClaimRefusedByMerchant
        {
            ClaimId = ClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            MerchantId = MerchantId,
            BuyerId = BuyerId,
            Reason = "The photos show a cracked screen corner: impact damage, which the return does not cover.",
            EvidenceLinks = [MerchantPhoto],
            RefusedAt = At("2026-03-10T07:45:00Z"),
        },
        new W.ClaimEscalated
        {
            ClaimId = ClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            BuyerId = BuyerId,
            MerchantId = MerchantId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            Fault = W.FaultKind.QualityFault,
            FaultDescription = Flicker,
            RemedyGranted = W.Remedy.Return,
            MerchantReason = "The photos show a cracked screen corner: impact damage, which the return does not cover.",
            Statement = "The corner mark is the protective film lifting; the flicker started before any drop, as the video shows.",
            EvidenceLinks = [FlickerVideo],
            EscalatedAt = At("2026-03-10T12:03:00Z"),
        },
        new W.ClaimResolved
        {
            ClaimId = ClaimId,
            OrderId = OrderId,
            LineId = PhoneLine,
            Resolution = W.ClaimResolution.Repaired,
            JobId = JobId,
            CaseId = CaseId,
            ResolvedAt = At("2026-03-17T09:40:02Z"),
        },
        new W.EntryReopened
        {
            RequestId = ReopenRequestId,
            OrderId = OrderId,
            LineId = PhoneLine,
            BuyerId = BuyerId,
            RequestedById = BuyerId,
            RequestedByRole = W.RequesterRole.Buyer,
            Fault = W.FaultKind.QualityFault,
            FaultDescription = "The phone restarts by itself several times a day.",
            Ground = W.ReopenGround.WithinStatutoryPeriod,
            // Reopened at the buyer's request, not by a ruling: no case.
            CaseId = null,
            Window = Period("2026-06-10", "2026-06-25"),
            ReopenedAt = At("2026-06-10T04:10:37Z"),
        },
        new W.ReopenDenied
        {
            RequestId = DeniedReopenRequestId,
            OrderId = OrderId,
            LineId = PhoneLine,
            BuyerId = BuyerId,
            MerchantId = MerchantId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            RequestedById = CustomerServiceAgent,
            RequestedByRole = W.RequesterRole.CustomerService,
            Fault = W.FaultKind.QualityFault,
            FaultDescription = "The battery drains from full to empty in four hours.",
            Reason = W.ReopenDenialReason.OutsideReopenablePeriods,
            AppealMayHelp = true,
            DeniedAt = At("2029-06-01T02:15:48Z"),
        },
        new W.ExtendedWarrantyCancelled
        {
            OrderId = OrderId,
            LineId = MicrowaveLine,
            BuyerId = BuyerId,
            Reason = W.ExtendedWarrantyCancellationReason.LineRefunded,
            RefundBasis = W.RefundBasis.FullForRefundedLine,
            PricePaid = 59.00m,
            RefundAmount = 59.00m,
            CancelledAt = At("2026-03-06T03:05:01Z"),
        },
    ];

    private static IEnumerable<object> Repair() =>
    [
        new R.RepairJobOpened
        {
            JobId = JobId,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimId = ClaimId,
            CaseId = CaseId,
            BuyerId = BuyerId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            FaultDescription = Flicker,
            CostBearer = R.RepairCostBearer.Platform,
            OpenedAt = At("2026-03-12T08:00:01Z"),
        },
        new R.RepairJobDispatched
        {
            JobId = JobId,
            Attempt = 2,
            ProviderId = SecondProvider,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimId = ClaimId,
            CaseId = CaseId,
            BuyerContactReference = $"buyer-contact:{OrderId}:{BuyerId}",
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            FaultDescription = Flicker,
            CostBearer = R.RepairCostBearer.Platform,
            DispatchedAt = At("2026-03-12T09:10:01Z"),
            CallbackDeadline = At("2026-03-13T09:10:01Z"),
        },
        new R.ProviderCallbackDeadline { JobId = JobId, Attempt = 2, ProviderId = SecondProvider, OrderId = OrderId, DueAt = At("2026-03-13T09:10:01Z") },
        new R.JobAccepted { JobId = JobId, Attempt = 2, ProviderId = SecondProvider, OrderId = OrderId, AcceptedAt = At("2026-03-12T09:25:00Z") },
        new R.JobDeclined
        {
            JobId = JobId,
            Attempt = 1,
            ProviderId = FirstProvider,
            OrderId = OrderId,
            Reason = "No Huawei-certified technician is free before 20 March.",
            ReasonCode = R.DeclineReasonCode.NoCapacity,
            DeclinedAt = At("2026-03-12T09:10:00Z"),
        },
        new R.RepairJobRedispatched
        {
            JobId = JobId,
            OrderId = OrderId,
            ClaimId = ClaimId,
            PreviousProviderId = FirstProvider,
            PreviousAttempt = 1,
            Reason = R.RedispatchReason.ProviderDeclined,
            ProviderId = SecondProvider,
            Attempt = 2,
            RedispatchedAt = At("2026-03-12T09:10:01Z"),
        },
        new R.CustomerContacted
        {
            JobId = JobId,
            Attempt = 2,
            ProviderId = SecondProvider,
            OrderId = OrderId,
            ContactedAt = At("2026-03-12T10:02:00Z"),
            ServiceMode = R.ServiceMode.MailIn,
            BookedFor = At("2026-03-13T02:00:00Z"),
        },
        new R.DeviceReceived { JobId = JobId, Attempt = 2, ProviderId = SecondProvider, OrderId = OrderId, ReceivedAt = At("2026-03-14T06:30:00Z") },
        new R.DeviceFeedbackDeadline
        {
            JobId = JobId,
            Attempt = 2,
            ProviderId = SecondProvider,
            OrderId = OrderId,
            DeviceReceivedAt = At("2026-03-14T06:30:00Z"),
            DueAt = At("2026-04-13T06:30:00Z"),
        },
        new R.RepairProgressReported
        {
            JobId = JobId,
            Attempt = 2,
            ProviderId = SecondProvider,
            OrderId = OrderId,
            Progress = "Display assembly replaced; running a 24-hour burn-in test before shipping back.",
            ProgressCode = R.ProgressCode.Testing,
            AttachmentLinks = [new Uri("https://files.example.com/repairs/gd-huarui-02/burn-in-start.jpg")],
            ExpectedCompletionAt = At("2026-03-17T10:00:00Z"),
            ReportedAt = At("2026-03-15T08:00:00Z"),
        },
        new R.RepairJobCompleted
        {
            JobId = JobId,
            Attempt = 2,
            ProviderId = SecondProvider,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimId = ClaimId,
            Outcome = R.RepairOutcome.Repaired,
            Report = "Faulty display flex cable and panel replaced with genuine parts; no flicker at any brightness after 24 h. Shipped back by SF Express, waybill SF1402338765521.",
            CompletedAt = At("2026-03-17T09:40:00Z"),
        },
        new R.ProviderCallbackSlaBreached
        {
            JobId = JobId,
            Attempt = 1,
            ProviderId = FirstProvider,
            OrderId = OrderId,
            ClaimId = ClaimId,
            DispatchedAt = At("2026-03-12T08:00:02Z"),
            CallbackDeadline = At("2026-03-13T08:00:02Z"),
        },
        new R.ProviderSuspended
        {
            ProviderId = FirstProvider,
            Reason = R.ProviderSuspensionReason.RepeatedCallbackBreaches,
            CallbackBreaches = 3,
            SuspendedAt = At("2026-03-20T01:00:02Z"),
        },
        new R.RepairJobEscalated
        {
            JobId = JobId,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimId = ClaimId,
            CaseId = CaseId,
            BuyerId = BuyerId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            FaultDescription = Flicker,
            Reason = R.RepairEscalationReason.AttemptsExhausted,
            Attempts = 3,
            LastProviderId = SecondProvider,
            EscalatedAt = At("2026-03-15T09:10:02Z"),
        },
    ];

    private static IEnumerable<object> Arbitration() =>
    [
        new A.CaseOpened
        {
            CaseId = CaseId,
            Origin = A.CaseOrigin.ClaimEscalated,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimId = ClaimId,
            JobId = null,
            ReopenRequestId = null,
            BuyerId = BuyerId,
            Respondent = A.RespondentKind.Merchant,
            RespondentId = MerchantId,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            FaultDescription = Flicker,
            OpenedAt = At("2026-03-10T12:03:01Z"),
            RespondBy = At("2026-03-13T12:03:01Z"),
        },
        new A.RespondentDeadline { CaseId = CaseId, OrderId = OrderId, DueAt = At("2026-03-13T12:03:01Z") },
        new A.EvidenceSubmitted
        {
            CaseId = CaseId,
            OrderId = OrderId,
            SubmittedBy = A.CaseParty.Respondent,
            SubmitterId = MerchantId,
            Statement = "Close-up of the top-left corner: the glass is chipped under the film, consistent with a drop.",
            EvidenceLinks = [MerchantPhoto],
            SubmittedAt = At("2026-03-11T03:30:00Z"),
        },
        new A.AppealFiled
        {
            CaseId = new Guid("5f0d2c7b-91e4-8a36-b2d8-0c4e6a1f3b97"),
            Subject = A.AppealSubject.ClaimRejected,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimId = RejectedClaimId,
            ReopenRequestId = null,
            BuyerId = BuyerId,
            FiledById = BuyerId,
            FiledByRole = A.FilerRole.Buyer,
            Statement = "The after-sales entry was closed only because the platform's app was down when I first tried on 4 June.",
            EvidenceLinks = [new Uri("https://files.example.com/appeals/a24f6c08/app-error-2026-06-04.png")],
            FiledAt = At("2026-06-10T05:30:00Z"),
        },
        new A.RulingIssued
        {
            CaseId = CaseId,
            Origin = A.CaseOrigin.ClaimEscalated,
            OrderId = OrderId,
            LineId = PhoneLine,
            ClaimId = ClaimId,
            JobId = null,
            ReopenRequestId = null,
            BuyerId = BuyerId,
            Respondent = A.RespondentKind.Merchant,
            RespondentId = MerchantId,
            InFavourOf = A.CaseParty.Buyer,
            Remedy = A.RulingRemedy.RepairAtPlatformCost,
            Amount = null,
            Rationale = "The flicker is recorded before any visible damage; the chipped corner does not explain it. The platform repairs the display at its cost.",
            DefaultRuling = false,
            ArbitratorId = Arbitrator,
            ShippingRegion = Region,
            Sku = PhoneSku,
            Title = PhoneTitle,
            Category = Phones,
            Brand = Huawei,
            FaultDescription = Flicker,
            RuledAt = At("2026-03-12T08:00:00Z"),
        },
    ];

    private static readonly Guid PlanRefundId = new("3f7a1c92-6d04-3b8e-9a51-c2e8d4b6f017");
    private static readonly Guid CompensationCaseId = new("8a2c4e6f-1b3d-4f57-9c8e-0d2f4a6b8c1e");

    private static IEnumerable<object> Payments() =>
    [
        new P.RefundInstructed
        {
            InstructionId = PlanRefundId,
            OrderId = OrderId,
            LineId = MicrowaveLine,
            BuyerId = BuyerId,
            Amount = 59.00m,
            Currency = "CNY",
            Reason = P.PaymentReason.ExtendedWarrantyCancelled,
            PaidBy = P.Payer.ExtendedWarrantyPlan,
            MerchantId = null,
            ClaimId = null,
            CaseId = null,
            InstructedAt = At("2026-03-06T03:05:01Z"),
        },
        new P.PaymentConfirmed
        {
            InstructionId = PlanRefundId,
            OrderId = OrderId,
            LineId = MicrowaveLine,
            Amount = 59.00m,
            Currency = "CNY",
            PaymentReference = "RF20260306-0000119374",
            PaidAt = At("2026-03-06T03:07:12Z"),
        },
        new P.CompensationInstructed
        {
            InstructionId = CompensationCaseId,
            CaseId = CompensationCaseId,
            OrderId = OrderId,
            LineId = PhoneLine,
            BuyerId = BuyerId,
            Amount = 300.00m,
            Currency = "CNY",
            Reason = P.PaymentReason.RulingCompensation,
            PaidBy = P.Payer.Merchant,
            MerchantId = MerchantId,
            ClaimId = RejectedClaimId,
            InstructedAt = At("2026-06-14T02:00:00Z"),
        },
        new P.PaymentFailed
        {
            InstructionId = CompensationCaseId,
            OrderId = OrderId,
            LineId = PhoneLine,
            Amount = 300.00m,
            Currency = "CNY",
            Reason = "The buyer's payment account is frozen; retrying after the buyer updates it.",
            FailedAt = At("2026-06-14T02:01:30Z"),
        },
    ];

    private static W.Coverage Coverage(W.CoverageKind kind, W.ResponsibleParty answeredBy, string firstDay, string lastDay) =>
        new() { Kind = kind, AnsweredBy = answeredBy, Period = Period(firstDay, lastDay) };

    /// <summary>Local days in Asia/Shanghai (UTC+8, no daylight saving): a day starts at 16:00 UTC the day before.</summary>
    private static W.CalendarPeriod Period(string firstDay, string lastDay)
    {
        var first = DateOnly.Parse(firstDay, System.Globalization.CultureInfo.InvariantCulture);
        var last = DateOnly.Parse(lastDay, System.Globalization.CultureInfo.InvariantCulture);
        return new W.CalendarPeriod
        {
            FirstDay = first,
            LastDay = last,
            StartsAt = LocalMidnight(first),
            EndsBefore = LocalMidnight(last.AddDays(1)),
        };
    }

    private static DateTimeOffset LocalMidnight(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();

    private static DateTimeOffset At(string instant) =>
        DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
}
