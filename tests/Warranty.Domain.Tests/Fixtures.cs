using Platform.Domain;
using System.Globalization;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

internal static class Time
{
    /// <summary>An instant written with its offset, e.g. "2024-01-16T23:59:59+08:00" (Shanghai) or "...Z".</summary>
    public static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    public static DateOnly Day(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);
}

/// <summary>
/// One order line's warranty file under test: its policy and the events so far. History is built through the
/// decider itself, so a fixture such as "two repairs" holds exactly the events production would have written.
/// </summary>
internal sealed class Line
{
    public const string Order = "order-1";
    public const string LineId = "line-1";
    public const string Buyer = "buyer-1";
    public const string Merchant = "merchant-1";
    public const string Agent = "cs-agent-1";
    public static readonly LineDetails Details = new("sku-1", "Phone X", "Brand Y", "31");

    private readonly List<WarrantyFileEvent> history = [];

    private Line(WarrantyPolicy policy) => Policy = policy;

    public WarrantyPolicy Policy { get; }

    public IReadOnlyList<WarrantyFileEvent> History => history;

    public WarrantyFile State => history.Aggregate(WarrantyFile.Initial, WarrantyFile.Evolve);

    public WarrantyFile.Activated File => (WarrantyFile.Activated)State;

    public static Line New(WarrantyPolicy? policy = null) => new(policy ?? WarrantyPolicy.Default);

    public static ActivateWarranty Activation(
        string category = CategoryPolicy.Phones,
        int nationalMonths = 12,
        int merchantMonths = 0,
        ExtendedWarrantyPurchase? plan = null,
        string confirmedAt = "2024-01-10T10:00:00+08:00",
        decimal? amountPaid = null) =>
        new(Order, LineId, Buyer, Merchant, category, Details, nationalMonths, merchantMonths, plan, Time.At(confirmedAt), amountPaid);

    public static Line Activated(
        string category = CategoryPolicy.Phones,
        int nationalMonths = 12,
        int merchantMonths = 0,
        ExtendedWarrantyPurchase? plan = null,
        string confirmedAt = "2024-01-10T10:00:00+08:00",
        WarrantyPolicy? policy = null,
        decimal? amountPaid = null) =>
        New(policy).Then(Activation(category, nationalMonths, merchantMonths, plan, confirmedAt, amountPaid));

    public Decision<WarrantyFileEvent> Decide(WarrantyFileCommand command) =>
        WarrantyFileDecider.Decide(command, State, Policy);

    /// <summary>What the command appends, whether it was accepted or refused with a record.</summary>
    public IReadOnlyList<WarrantyFileEvent> When(WarrantyFileCommand command) => Decide(command).Events;

    /// <summary>The refusal, asserting there is one with this code.</summary>
    public Refusal Refused(WarrantyFileCommand command, WarrantyRefusalCode code)
    {
        var refused = Assert.IsType<Decision<WarrantyFileEvent>.Refused>(Decide(command));
        Assert.Equal(code.ToString(), refused.Refusal.Code);
        Assert.False(string.IsNullOrWhiteSpace(refused.Refusal.Reason));
        return refused.Refusal;
    }

    public Line Then(WarrantyFileCommand command)
    {
        history.AddRange(When(command));
        return this;
    }

    public Line Given(params WarrantyFileEvent[] events)
    {
        history.AddRange(events);
        return this;
    }

    public static FileClaim Claim(
        string at,
        FaultKind fault = FaultKind.QualityFault,
        Remedy asked = Remedy.Repair,
        Guid? id = null,
        string buyer = Buyer,
        ActingParty by = ActingParty.Buyer) =>
        new(id ?? Guid.NewGuid(), As(buyer, by), fault, "it stopped working", asked, ["https://evidence.example/photo-1.jpg"], Time.At(at));

    /// <summary>A buyer for themselves, or the customer-service agent for that buyer.</summary>
    public static Requester As(string buyer = Buyer, ActingParty by = ActingParty.Buyer) =>
        new(buyer, by, by == ActingParty.Buyer ? buyer : Agent);

    public static RequestReopen Reopen(string at, FaultKind defect = FaultKind.QualityFault, Requester? by = null) =>
        new(new ReopenRequest(Guid.NewGuid(), by ?? As(), defect, "it never worked right"), Time.At(at));

    /// <summary>Files a repair claim and completes it `daysInRepair` local days later.</summary>
    public Line RepairedOnce(string filedAt, int daysInRepair)
    {
        var claim = Claim(filedAt);
        var filed = Time.At(filedAt);
        var repaired = filed.AddDays(daysInRepair);
        return Then(claim)
            .Then(new AcceptClaim(claim.ClaimId, filed.AddHours(1)))
            .Then(new CompleteRepair(claim.ClaimId, RepairOutcome.Repaired, repaired.AddHours(1)));
    }
}

/// <summary>One-line renderings of claim decisions, so table rows can state the expected outcome as data.</summary>
internal static class Outcome
{
    public static string Approved(CoverageKind coverage, Remedy remedy, Answerer answerer, ShippingPayer shipping, bool repeatRepair = false) =>
        $"approved {coverage} {remedy} answered by {answerer}, shipping {shipping}{(repeatRepair ? ", repeat-repair replacement" : "")}";

    public static string Rejected(RejectionReason reason, bool reopenCanHelp, bool appealCanHelp) =>
        $"rejected {reason}, reopen {(reopenCanHelp ? "helps" : "no")}, appeal {(appealCanHelp ? "helps" : "no")}";

    public static string Of(IReadOnlyList<WarrantyFileEvent> events) => events[0] switch
    {
        ClaimApproved a => Approved(a.Coverage, a.Remedy, a.Answerer, a.ShippingPaidBy, a.RepeatRepairReplacement),
        ClaimRejected r => Rejected(r.Reason, r.ReopenCanHelp, r.AppealCanHelp),
        var other => $"unexpected {other}",
    };
}
