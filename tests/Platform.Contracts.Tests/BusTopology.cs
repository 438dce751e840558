using A = Platform.Contracts.Arbitration.V1;
using O = Platform.Contracts.Orders.V1;
using P = Platform.Contracts.Payments.V1;
using R = Platform.Contracts.Repair.V1;
using T = Platform.Contracts.Trade.V1;
using W = Platform.Contracts.Warranty.V1;

namespace Platform.Contracts.Tests;

/// <summary>A party on the bus: a service of the platform or a system outside it; its name reads after "the".</summary>
internal sealed record Party(string Id, string Name, string Description);

/// <summary>
/// A queue a party reads. Bound: MassTransit binds it (through an exchange of its own name) to the
/// exchange of each message type it takes, so whatever is published reaches it. Not bound: it gets
/// only what is sent to it by name.
/// </summary>
internal sealed record QueueInfo(string Name, Party Reader, bool Bound, IReadOnlyList<Type> Messages, string Description);

/// <summary>A message sent to a queue by name rather than published to its type's exchange.</summary>
internal sealed record DirectSend(Type Message, Party Sender, QueueInfo Queue);

/// <summary>
/// Who publishes, sends and reads each message, and on which exchange or queue: the services' bus
/// configuration written down, since this project references the contracts only. The queue names
/// are MassTransit's kebab-case endpoint names under each service's prefix (order-trade-events), and
/// the exchanges its publish topology (one fanout exchange per message type, named
/// "{namespace}:{type}"); both were checked against a broker the platform had declared them on.
/// AsyncApiTests holds every message of the contracts to a place in it.
/// </summary>
internal static class BusTopology
{
    public static readonly Party TradeSystem = new("tradeSystem", "trade system",
        "The marketplace's order system: publishes the order's life (placed, paid, shipped, delivered, receipt confirmed, line refunded); pays the refunds and compensation the platform instructs, and sends back whether each was paid.");

    public static readonly Party CustomerServiceSystem = new("customerServiceSystem", "customer-service system",
        "Files claims on a buyer's behalf by message, as an alternative to POST /claims.");

    public static readonly Party RepairProvider = new("repairProvider", "repair provider",
        "A third-party repair provider: receives jobs on its own queue and sends its reports to RepairDispatch.");

    public static readonly Party Order = new("order", "Order service", "Keeps each order's stream; tells the platform when an order completes or a line is refunded.");

    public static readonly Party Warranty = new("warranty", "Warranty service", "Warranty files, claims, the after-sales entry and extended warranties.");

    public static readonly Party RepairDispatch = new("repairDispatch", "RepairDispatch service", "Sends approved repairs to providers and holds them to the callback SLA.");

    public static readonly Party Arbitration = new("arbitration", "Arbitration service", "Cases, evidence and rulings.");

    public static IReadOnlyList<Party> Parties { get; } = [TradeSystem, CustomerServiceSystem, RepairProvider, Order, Warranty, RepairDispatch, Arbitration];

    /// <summary>The queue RepairDispatch sends each provider's jobs to; {providerId} is the provider's id.</summary>
    public const string ProviderQueue = "repair-provider-{providerId}";

    public static readonly QueueInfo ProviderReports = new("repairdispatch-provider-reports", RepairDispatch, Bound: false,
        [typeof(R.JobAccepted), typeof(R.JobDeclined), typeof(R.CustomerContacted), typeof(R.DeviceReceived), typeof(R.RepairProgressReported), typeof(R.RepairJobCompleted)],
        "Providers' reports on their jobs. Bound to no message exchange: it takes only what is sent to it, never the RepairJobCompleted that RepairDispatch publishes once it has verified a completion.");

    public static readonly QueueInfo ProviderJobs = new(ProviderQueue, RepairProvider, Bound: false, [typeof(R.RepairJobDispatched)],
        "One provider's own queue: RepairDispatch sends each job dispatched to that provider here, and nowhere else.");

    public static readonly QueueInfo WarrantyPaymentResults = new("warranty-payment-results", Warranty, Bound: false,
        [typeof(P.PaymentConfirmed), typeof(P.PaymentFailed)],
        "The trade system's answers to the Warranty service's RefundInstructed. Bound to no exchange: the trade system sends each answer to the queue of the service that instructed it.");

    public static readonly QueueInfo ArbitrationPaymentResults = new("arbitration-payment-results", Arbitration, Bound: false,
        [typeof(P.PaymentConfirmed), typeof(P.PaymentFailed)],
        "The trade system's answers to the Arbitration service's CompensationInstructed. Bound to no exchange, like warranty-payment-results.");

    /// <summary>The queue the trade system declares and binds to the two instruction exchanges; the name is its own to choose.</summary>
    public static readonly QueueInfo TradePaymentInstructions = new("trade-payment-instructions", TradeSystem, Bound: true,
        [typeof(P.RefundInstructed), typeof(P.CompensationInstructed)],
        "The trade system's own queue (any name it likes), bound to the exchanges of the two instructions: every refund and compensation the platform decided.");

    public static IReadOnlyList<QueueInfo> Queues { get; } =
    [
        new("order-trade-events", Order, Bound: true,
            [typeof(T.OrderPlaced), typeof(T.OrderPaid), typeof(T.OrderShipped), typeof(T.OrderDelivered), typeof(T.OrderReceiptConfirmed), typeof(T.OrderLineRefunded)],
            "All of the trade system's events, on one queue: they may arrive in any order, and the order's stream settles every race."),
        new("order-automatic-receipt-confirmation", Order, Bound: true, [typeof(O.AutomaticReceiptConfirmationDue)], "The Order service's own deadline."),
        new("warranty-order-completed", Warranty, Bound: true, [typeof(O.OrderCompleted)], "Completed orders: one warranty file per line."),
        new("warranty-order-line-refunded", Warranty, Bound: true, [typeof(O.OrderLineRefunded)], "Lines refunded in full: the line takes no more claims."),
        new("warranty-claim-filed", Warranty, Bound: true, [typeof(W.ClaimFiled)], "Claims filed by message, adjudicated as over HTTP."),
        new("warranty-merchant-response-deadline", Warranty, Bound: true, [typeof(W.MerchantResponseDeadline)], "The Warranty service's own deadline."),
        new("warranty-repair-job-completed", Warranty, Bound: true, [typeof(R.RepairJobCompleted)], "Verified repair completions: they resolve the claim."),
        new("warranty-ruling-issued", Warranty, Bound: true, [typeof(A.RulingIssued)], "Rulings: they resolve the claim ruled on."),
        new("repairdispatch-claim-approved", RepairDispatch, Bound: true, [typeof(W.ClaimApproved)], "Approved claims: a repair answered by the brand or the extended-warranty programme opens a job."),
        new("repairdispatch-ruling-issued", RepairDispatch, Bound: true, [typeof(A.RulingIssued)], "Rulings: a repair at the platform's cost opens a job."),
        new("repairdispatch-provider-callback-deadline", RepairDispatch, Bound: true, [typeof(R.ProviderCallbackDeadline)], "RepairDispatch's own deadline."),
        new("repairdispatch-device-feedback-deadline", RepairDispatch, Bound: true, [typeof(R.DeviceFeedbackDeadline)], "RepairDispatch's own deadline."),
        ProviderReports,
        new("arbitration-claim-escalated", Arbitration, Bound: true, [typeof(W.ClaimEscalated)], "Escalated claims: each opens a case the merchant answers."),
        new("arbitration-repair-job-escalated", Arbitration, Bound: true, [typeof(R.RepairJobEscalated)], "Escalated repair jobs: each opens a case the platform's repair operations answer."),
        new("arbitration-claim-rejected", Arbitration, Bound: true, [typeof(W.ClaimRejected)], "Rejections, kept so that the buyer may appeal them."),
        new("arbitration-reopen-denied", Arbitration, Bound: true, [typeof(W.ReopenDenied)], "Denied reopen requests, kept so that the buyer may appeal them."),
        new("arbitration-respondent-deadline", Arbitration, Bound: true, [typeof(A.RespondentDeadline)], "The Arbitration service's own deadline."),
        ProviderJobs,
        WarrantyPaymentResults,
        ArbitrationPaymentResults,
        TradePaymentInstructions,
    ];

    /// <summary>Who publishes each message to its type's exchange.</summary>
    public static IReadOnlyDictionary<Type, Party> Publishers { get; } = new Dictionary<Type, Party>
    {
        [typeof(T.OrderPlaced)] = TradeSystem,
        [typeof(T.OrderPaid)] = TradeSystem,
        [typeof(T.OrderShipped)] = TradeSystem,
        [typeof(T.OrderDelivered)] = TradeSystem,
        [typeof(T.OrderReceiptConfirmed)] = TradeSystem,
        [typeof(T.OrderLineRefunded)] = TradeSystem,
        [typeof(O.OrderCompleted)] = Order,
        [typeof(O.OrderLineRefunded)] = Order,
        [typeof(O.AutomaticReceiptConfirmationDue)] = Order,
        [typeof(W.ClaimFiled)] = CustomerServiceSystem,
        [typeof(W.WarrantyActivated)] = Warranty,
        [typeof(W.ClaimApproved)] = Warranty,
        [typeof(W.ClaimRejected)] = Warranty,
        [typeof(W.ClaimAwaitingMerchant)] = Warranty,
        [typeof(W.ClaimAcceptedByMerchant)] = Warranty,
        [typeof(W.ClaimRefusedByMerchant)] = Warranty,
        [typeof(W.ClaimEscalated)] = Warranty,
        [typeof(W.ClaimResolved)] = Warranty,
        [typeof(W.EntryReopened)] = Warranty,
        [typeof(W.ReopenDenied)] = Warranty,
        [typeof(W.ExtendedWarrantyCancelled)] = Warranty,
        [typeof(W.MerchantResponseDeadline)] = Warranty,
        [typeof(R.RepairJobOpened)] = RepairDispatch,
        [typeof(R.RepairJobRedispatched)] = RepairDispatch,
        [typeof(R.ProviderCallbackSlaBreached)] = RepairDispatch,
        [typeof(R.ProviderSuspended)] = RepairDispatch,
        [typeof(R.RepairJobEscalated)] = RepairDispatch,
        [typeof(R.RepairJobCompleted)] = RepairDispatch,
        [typeof(R.ProviderCallbackDeadline)] = RepairDispatch,
        [typeof(R.DeviceFeedbackDeadline)] = RepairDispatch,
        [typeof(A.CaseOpened)] = Arbitration,
        [typeof(A.EvidenceSubmitted)] = Arbitration,
        [typeof(A.RulingIssued)] = Arbitration,
        [typeof(A.RespondentDeadline)] = Arbitration,
        [typeof(P.RefundInstructed)] = Warranty,
        [typeof(P.CompensationInstructed)] = Arbitration,
    };

    /// <summary>Messages a service publishes for itself at a due time (an outbox row); no one else should.</summary>
    public static IReadOnlySet<Type> Scheduled { get; } = new HashSet<Type>
    {
        typeof(O.AutomaticReceiptConfirmationDue),
        typeof(W.MerchantResponseDeadline),
        typeof(R.ProviderCallbackDeadline),
        typeof(R.DeviceFeedbackDeadline),
        typeof(A.RespondentDeadline),
    };

    /// <summary>Messages sent to a queue by name.</summary>
    public static IReadOnlyList<DirectSend> Sends { get; } =
    [
        new(typeof(R.RepairJobDispatched), RepairDispatch, ProviderJobs),
        .. ProviderReports.Messages.Select(m => new DirectSend(m, RepairProvider, ProviderReports)),
        .. WarrantyPaymentResults.Messages.Select(m => new DirectSend(m, TradeSystem, WarrantyPaymentResults)),
        .. ArbitrationPaymentResults.Messages.Select(m => new DirectSend(m, TradeSystem, ArbitrationPaymentResults)),
    ];

    /// <summary>Messages of the contracts that no party publishes or sends today, with why.</summary>
    public static IReadOnlyDictionary<Type, string> Unused { get; } = new Dictionary<Type, string>
    {
        [typeof(A.AppealFiled)] = "No service publishes or consumes it today: appeals are filed with the Arbitration service's POST /appeals.",
    };

    /// <summary>MassTransit's exchange for a message type: "Platform.Contracts.Trade.V1:OrderPlaced".</summary>
    public static string Exchange(Type message) => $"{message.Namespace}:{message.Name}";

    /// <summary>The queues that receive what is published to the message's exchange.</summary>
    public static IEnumerable<QueueInfo> BoundQueues(Type message) => Queues.Where(q => q.Bound && q.Messages.Contains(message));
}
