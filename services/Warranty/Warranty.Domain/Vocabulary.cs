namespace Warranty.Domain;

public enum FaultKind
{
    QualityFault,
    DeadOnArrival,
    NotAsDescribed,
    MissingParts,
    AccidentalDamage,
    LongDiscoveryDefect,
}

/// <summary>Declared best first: a remedy no longer available is downgraded towards Repair, never upgraded.</summary>
public enum Remedy
{
    Return,
    Replacement,
    Repair,
}

public enum Answerer
{
    Merchant,
    Brand,
    ExtendedWarrantyProgramme,
}

/// <summary>
/// Who pays shipping on an approved claim. There is no Buyer value: out of warranty the claim is rejected, and
/// what the buyer then arranges privately is not the platform's to record.
/// </summary>
public enum ShippingPayer
{
    Merchant,
    Brand,
    Platform,
}

public enum ActingParty
{
    Buyer,

    /// <summary>官方客服 files claims and reopen requests on the buyer's behalf.</summary>
    CustomerService,
}

/// <summary>
/// Whom a claim or reopen request is for, and who typed it in. Customer service names the buyer it acts for,
/// so its requests pass the buyer check like the buyer's own; the service layer vouches that a Buyer requester
/// is the authenticated user. ActorId is the buyer's own id or the customer-service agent's, kept so that the
/// file says who asked.
/// </summary>
public sealed record Requester(string BuyerId, ActingParty ActingAs, string ActorId);

/// <summary>
/// What the trade system says the line is. No rule reads it; it is kept on the file so that every message and
/// query about the line can name the product and the region a repair provider must serve.
/// </summary>
public sealed record LineDetails(string Sku, string Title, string Brand, string ShippingRegion);

/// <summary>A request to reopen the after-sales entry, as asked: its id (an appeal names it), who asked, and the defect in their words.</summary>
public sealed record ReopenRequest(Guid RequestId, Requester Requester, FaultKind Defect, string Description);

public sealed record ExtendedWarrantyPurchase(int Years, decimal Price, bool IncludesAccidentalDamage);

public enum RejectionReason
{
    EntryClosed,
    OutOfWarranty,
    AccidentalDamageNotCovered,
    NotBuyer,
    LineRefunded,
    ClaimAlreadyOpen,
}

public enum ReopenGround
{
    ThreeGuarantees,
    MerchantCommitment,
    LongDiscovery,
    Ruling,
}

public enum ReopenDenialReason
{
    /// <summary>Past the 三包 period and the merchant commitment, and no long-discovery defect within its limit.</summary>
    BeyondThreeGuaranteesAndCommitment,

    /// <summary>A long-discovery defect in a long-discovery category, reported after the category's limit.</summary>
    LongDiscoveryLimitPassed,

    /// <summary>A long-discovery category past the 三包 period and the commitment, with a defect that is not of the late-found kind.</summary>
    NotLongDiscoveryDefect,

    NotBuyer,
    LineRefunded,
}

public enum ClaimStatus
{
    Rejected,
    AwaitingMerchant,
    InService,
    RefusedByMerchant,
    Escalated,
    Resolved,
}

public enum ClaimResolution
{
    RepairCompleted,

    /// <summary>The merchant took the goods back: for a return, or for the exchange of a replacement.</summary>
    ReturnAccepted,

    Ruling,

    /// <summary>The trade system refunded the line while the claim was open: nothing is left to serve.</summary>
    LineRefunded,
}

public enum RepairOutcome
{
    Repaired,
    Replaced,
    Unrepairable,
}

/// <summary>What an arbitrator's final ruling orders (docs/domain.md "Arbitration").</summary>
public enum RulingDecision
{
    ForRespondent,
    Refund,
    Replacement,
    Repair,
    ReopenEntry,
    Compensation,
}

public enum CancellationGround
{
    BeforeStart,
    ProRata,
    AfterPaidRepair,
    LineRefunded,
}

/// <summary>Why the warranty file's decider refuses a command; the name is the refusal's code.</summary>
public enum WarrantyRefusalCode
{
    /// <summary>The line's order has not completed: there is no warranty file to act on.</summary>
    WarrantyNotActivated,
    /// <summary>An OrderCompleted line contradicts the rules (a 4-year plan); the file keeps the reason.</summary>
    ActivationRefused,
    UnknownClaim,
    /// <summary>Only a claim waiting for its merchant (or refused by it) can be answered.</summary>
    ClaimNotAwaitingMerchant,
    /// <summary>The merchant answered after its response deadline: silence had already accepted the claim.</summary>
    MerchantResponseDeadlinePassed,
    /// <summary>A deadline message processed before its time (two clocks apart): it is due again at RetryAt.</summary>
    DeadlineNotReached,
    /// <summary>Only a claim the merchant refused can be escalated.</summary>
    ClaimNotRefusedByMerchant,
    /// <summary>The claim is not open for this resolution (a return on a repair, a repair on a return, a closed claim).</summary>
    ResolutionNotAllowed,
    /// <summary>A claim filed in another system reached the platform longer after its filing than the policy allows.</summary>
    FiledTooLongAgo,
    /// <summary>A payment answer names no refund this order line instructed.</summary>
    UnknownPaymentInstruction,
    /// <summary>A payment answer's amount or currency is not the instruction's.</summary>
    PaymentAmountMismatch,
    /// <summary>A failure reported for an instruction already confirmed paid.</summary>
    PaymentAlreadyConfirmed,
}
