namespace Arbitration.Domain.Tests;

internal static class Sample
{
    public static readonly Guid CaseId = Guid.Parse("6f1c2a52-0d55-4b8e-9a55-2f3f1f6c0a01");
    public static readonly Guid ClaimId = Guid.Parse("0b9b7e0e-8f41-4a55-8f1e-55d3a8e0c0de");
    public static readonly Guid JobId = Guid.Parse("a4f0a3a1-2b5d-4c71-9d0c-7e1b8c2d3e4f");
    public static readonly Guid RequestId = Guid.Parse("5e0d7c3b-91a2-4f60-8d4e-3c2b1a0f9e8d");
    public const string OrderId = "TB-1001";
    public const string LineId = "L1";
    public const string BuyerId = "buyer-1";
    public const string MerchantId = "merchant-1";

    public static readonly DateTimeOffset OpenedAt = new(2024, 4, 2, 6, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset DeadlineAt = OpenedAt.AddHours(72);

    public static readonly CaseOrigin RefusedClaim = new CaseOrigin.ClaimRefusedByMerchant(ClaimId, MerchantId, ClaimRemedy.Return);
    public static readonly CaseOrigin RejectedClaim = new CaseOrigin.ClaimRejected(ClaimId, MerchantId, ClaimRemedy.Replacement, "OutOfWarranty");
    public static readonly CaseOrigin DeniedReopen = new CaseOrigin.ReopenDenied(RequestId, MerchantId, "beyond the 三包 period and the merchant commitment");
    public static readonly CaseOrigin EscalatedJob = new CaseOrigin.RepairJobEscalated(JobId, ClaimId);

    public static readonly DisputedItem Item = new("330000", "SKU-KETTLE-1", "Electric kettle 1.7 L", "home-appliances", "Midea", "It stopped heating on day 3.");

    public static readonly Respondent Merchant = new(ActorRole.Merchant, MerchantId);
    public static readonly Respondent RepairOperations = new(ActorRole.PlatformRepairOperations, null);

    public static readonly Actor TheBuyer = new(ActorRole.Buyer, BuyerId);
    public static readonly Actor TheMerchant = new(ActorRole.Merchant, MerchantId);
    public static readonly Actor RepairOperator = new(ActorRole.PlatformRepairOperations, "ops-3");
    public static readonly Actor Arbitrator = new(ActorRole.Arbitrator, "arb-1");
    public static readonly Actor OtherArbitrator = new(ActorRole.Arbitrator, "arb-2");

    public static CaseCommand.OpenCase Open(CaseOrigin origin) => new(CaseId, OrderId, LineId, BuyerId, origin, Item, OpenedAt);

    public static CaseEvent.CaseOpened Opened(CaseOrigin origin, Respondent respondent) =>
        new(CaseId, OrderId, LineId, BuyerId, origin, respondent, Item, OpenedAt, DeadlineAt);

    public static readonly CaseEvent.CaseOpened MerchantCase = Opened(RefusedClaim, Merchant);

    public static CaseCommand.SubmitEvidence Evidence(Actor actor, DateTimeOffset at, string statement = "It broke on day 3.") =>
        new(CaseId, actor, ["https://evidence.example/1.jpg"], statement, at);

    public static CaseEvent.EvidenceSubmitted Submitted(CaseSide side, Actor actor, DateTimeOffset at, string statement = "It broke on day 3.") =>
        new(CaseId, side, actor.Id, ["https://evidence.example/1.jpg"], statement, at);

    public static readonly Verdict RefundBuyer = new Verdict.ForBuyer(new Remedy.Refund());

    public static CaseCommand.IssueRuling Rule(Actor actor, Verdict verdict, DateTimeOffset at, string rationale = "The photos show a factory defect.") =>
        new(CaseId, actor, verdict, rationale, at);
}
