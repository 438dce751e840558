using static Warranty.Domain.CoverageKind;
using static Warranty.Domain.FaultKind;
using static Warranty.Domain.Tests.Outcome;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;
using R = Warranty.Domain.Remedy;

namespace Warranty.Domain.Tests;

/// <summary>
/// docs/domain.md "Claims" as a table. Every line is Shanghai-based. The "phone" line: d0 2024-01-10, return through
/// 01-16, replacement through 01-24, 三包 repair and 12-month national warranty through 2025-01-10, a 1-year
/// extended plan 2025-01-11..2026-01-10. Times are written as Shanghai local (+08:00) unless a row is about UTC.
/// </summary>
public sealed class AdjudicationTableTests
{
    private static readonly WarrantyPolicy NoProtection = WarrantyPolicy.Default with { AfterSalesProtection = false };
    private static readonly ExtendedWarrantyPurchase Plan = new(1, 199m, IncludesAccidentalDamage: false);
    private static readonly ExtendedWarrantyPurchase AccidentPlan = new(1, 299m, IncludesAccidentalDamage: true);

    private static Line Fixture(string name) => name switch
    {
        "phone" => Line.Activated(plan: Plan),
        "phone-ad" => Line.Activated(plan: AccidentPlan),
        // No national warranty: the 三包 repair falls to the merchant.
        "phone-no-national" => Line.Activated(nationalMonths: 0),
        // ...and without 售后保 the entry closes after the 180-day long window (last day 2024-07-08).
        "phone-no-protection" => Line.Activated(nationalMonths: 0, policy: NoProtection),
        "phone-national-24" => Line.Activated(nationalMonths: 24),
        // Merchant commitment through 2026-01-10 overlaps the extended plan 2025-01-11..2026-01-10.
        "phone-commitment" => Line.Activated(merchantMonths: 24, plan: Plan),
        "phone-commitment-no-protection" => Line.Activated(merchantMonths: 24, plan: Plan, policy: NoProtection),
        // A category missing from the table: default terms, no 三包 repair; the commitment runs through 2026-01-10.
        "furniture-commitment" => Line.Activated("furniture", nationalMonths: 0, merchantMonths: 24),
        "clothing" => Line.Activated(CategoryPolicy.Clothing, nationalMonths: 0),
        // d0 2024-04-01: return through 04-07, replacement through 04-15, entry through 04-16, long discovery through 2025-04-01.
        "seeds" => Seeds(),
        "seeds-reopened" => Seeds().Then(Line.Reopen("2024-05-31T10:00:00+08:00", LongDiscoveryDefect, Line.As(by: ActingParty.CustomerService))),
        // d0 2024-03-02: the return window's last day is 2024-03-08, which ends at 2024-03-08T16:00Z.
        "phone-march" => Line.Activated(confirmedAt: "2024-03-02T12:00:00+08:00"),
        // The seed's worked example: d0 2023-03-08, national (and 三包 repair) through 2024-03-08, plan 2024-03-09..2025-03-08.
        "worked-example" => Line.Activated(CategoryPolicy.HomeAppliances, plan: Plan, confirmedAt: "2023-03-08T20:00:00+08:00"),
        "phone-refunded" => Line.Activated(plan: Plan).Then(new RecordLineRefund(Time.At("2024-02-01T10:00:00+08:00"))),
        "phone-open-claim" => Line.Activated(plan: Plan).Then(Line.Claim("2024-03-01T10:00:00+08:00")),
        "phone-one-repair" => Line.Activated(plan: Plan).RepairedOnce("2024-03-01T10:00:00+08:00", daysInRepair: 2),
        // Two repairs, 2 + 1 days in repair: the 三包 repair period now runs through 2025-01-13.
        "phone-two-repairs" => Line.Activated(plan: Plan)
            .RepairedOnce("2024-03-01T10:00:00+08:00", daysInRepair: 2)
            .RepairedOnce("2024-05-01T10:00:00+08:00", daysInRepair: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such fixture"),
    };

    private static Line Seeds() => Line.Activated(CategoryPolicy.Seeds, nationalMonths: 0, confirmedAt: "2024-04-01T09:00:00+08:00");

    private const string Buyer = "buyer";
    private const string CustomerService = "customer service for the buyer";
    private const string Stranger = "someone else";
    private const string CustomerServiceForStranger = "customer service for someone else";

    public static TheoryData<string, string, string, string, FaultKind, R, string> Cases => new()
    {
        // Return (三包), merchant.
        { "return on d0", "phone", Buyer, "2024-01-10T10:00:01+08:00", QualityFault, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "return, last second of day 7", "phone", Buyer, "2024-01-16T23:59:59+08:00", QualityFault, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "return, first second of day 8 → replacement", "phone", Buyer, "2024-01-17T00:00:00+08:00", QualityFault, R.Return, Approved(ThreeGuaranteesReplacement, R.Replacement, Answerer.Merchant, ShippingPayer.Merchant) },
        { "return, day 8 begins at 16:00 UTC", "phone", Buyer, "2024-01-16T16:00:00Z", QualityFault, R.Return, Approved(ThreeGuaranteesReplacement, R.Replacement, Answerer.Merchant, ShippingPayer.Merchant) },
        { "dead on arrival", "phone", Buyer, "2024-01-11T09:00:00+08:00", DeadOnArrival, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "not as described", "phone", Buyer, "2024-01-14T09:00:00+08:00", NotAsDescribed, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "repair asked in the return window: first coverage in table order", "phone", Buyer, "2024-01-12T09:00:00+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesReturn, R.Repair, Answerer.Merchant, ShippingPayer.Merchant) },
        // Replacement (三包), merchant.
        { "replacement asked in the return window", "phone", Buyer, "2024-01-12T09:00:00+08:00", QualityFault, R.Replacement, Approved(ThreeGuaranteesReplacement, R.Replacement, Answerer.Merchant, ShippingPayer.Merchant) },
        { "replacement, last second of day 15", "phone", Buyer, "2024-01-24T23:59:59+08:00", QualityFault, R.Replacement, Approved(ThreeGuaranteesReplacement, R.Replacement, Answerer.Merchant, ShippingPayer.Merchant) },
        { "replacement, first second of day 16 → repair by the brand", "phone", Buyer, "2024-01-25T00:00:00+08:00", QualityFault, R.Replacement, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "missing parts on day 20, replacement asked → repair", "phone", Buyer, "2024-01-29T09:00:00+08:00", MissingParts, R.Replacement, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "return asked after both windows → repair", "phone", Buyer, "2024-02-10T09:00:00+08:00", QualityFault, R.Return, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        // Repair (三包): brand when a national warranty exists, else merchant.
        { "三包 repair, last second", "phone", Buyer, "2025-01-10T23:59:59+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "三包 repair without national warranty: merchant, entry held open by 售后保", "phone-no-national", Buyer, "2024-09-01T09:00:00+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Merchant, ShippingPayer.Merchant) },
        { "三包 repair without national warranty, first second after", "phone-no-national", Buyer, "2025-01-11T00:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.OutOfWarranty, false, true) },
        { "entry's last second without 售后保", "phone-no-protection", Buyer, "2024-07-08T23:59:59+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Merchant, ShippingPayer.Merchant) },
        { "entry closed without 售后保, inside 三包: reopen helps", "phone-no-protection", Buyer, "2024-07-09T00:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.EntryClosed, true, false) },
        // National joint warranty: brand, no entry needed.
        { "national warranty after 三包", "phone-national-24", Buyer, "2025-06-01T09:00:00+08:00", QualityFault, R.Repair, Approved(NationalJointWarranty, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "national warranty, return asked → repair", "phone-national-24", Buyer, "2025-06-01T09:00:00+08:00", QualityFault, R.Return, Approved(NationalJointWarranty, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "national warranty, last second", "phone-national-24", Buyer, "2026-01-10T23:59:59+08:00", QualityFault, R.Repair, Approved(NationalJointWarranty, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "national warranty, first second after", "phone-national-24", Buyer, "2026-01-11T00:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.OutOfWarranty, false, true) },
        // Merchant commitment.
        { "merchant commitment before the extended plan in table order", "phone-commitment", Buyer, "2025-06-01T09:00:00+08:00", QualityFault, R.Repair, Approved(MerchantCommitment, R.Repair, Answerer.Merchant, ShippingPayer.Merchant) },
        { "entry closed: the merchant is passed over for the extended plan", "phone-commitment-no-protection", Buyer, "2025-06-01T09:00:00+08:00", QualityFault, R.Repair, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
        { "unknown category: merchant commitment", "furniture-commitment", Buyer, "2025-06-01T09:00:00+08:00", QualityFault, R.Repair, Approved(MerchantCommitment, R.Repair, Answerer.Merchant, ShippingPayer.Merchant) },
        { "unknown category: still a 15-day replacement", "furniture-commitment", Buyer, "2024-01-20T09:00:00+08:00", QualityFault, R.Replacement, Approved(ThreeGuaranteesReplacement, R.Replacement, Answerer.Merchant, ShippingPayer.Merchant) },
        { "unknown category: commitment's last second", "furniture-commitment", Buyer, "2026-01-10T23:59:59+08:00", QualityFault, R.Repair, Approved(MerchantCommitment, R.Repair, Answerer.Merchant, ShippingPayer.Merchant) },
        { "unknown category: commitment's first second after", "furniture-commitment", Buyer, "2026-01-11T00:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.OutOfWarranty, false, true) },
        // Extended warranty: the programme, shipping by the platform.
        { "extended plan, first second", "phone", Buyer, "2025-01-11T00:00:00+08:00", QualityFault, R.Repair, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
        { "extended plan, last second", "phone", Buyer, "2026-01-10T23:59:59+08:00", QualityFault, R.Repair, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
        { "extended plan, first second after", "phone", Buyer, "2026-01-11T00:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.OutOfWarranty, false, true) },
        { "accidental damage, plan without it", "phone", Buyer, "2025-06-01T09:00:00+08:00", AccidentalDamage, R.Repair, Rejected(RejectionReason.AccidentalDamageNotCovered, false, true) },
        { "accidental damage under 三包", "phone", Buyer, "2024-03-01T09:00:00+08:00", AccidentalDamage, R.Repair, Rejected(RejectionReason.AccidentalDamageNotCovered, false, true) },
        { "accidental damage before the plan starts", "phone-ad", Buyer, "2024-03-01T09:00:00+08:00", AccidentalDamage, R.Repair, Rejected(RejectionReason.AccidentalDamageNotCovered, false, true) },
        { "accidental damage under a plan that includes it", "phone-ad", Buyer, "2025-06-01T09:00:00+08:00", AccidentalDamage, R.Repair, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
        { "accidental damage, return asked → repair", "phone-ad", Buyer, "2025-06-01T09:00:00+08:00", AccidentalDamage, R.Return, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
        // A category without 三包 repair.
        { "clothing, return's last second", "clothing", Buyer, "2024-01-16T23:59:59+08:00", NotAsDescribed, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "clothing, repair on the replacement window's last second", "clothing", Buyer, "2024-01-24T23:59:59+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesReplacement, R.Repair, Answerer.Merchant, ShippingPayer.Merchant) },
        { "clothing, first second after every window", "clothing", Buyer, "2024-01-25T00:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.OutOfWarranty, false, true) },
        { "clothing, accidental damage inside the windows", "clothing", Buyer, "2024-01-12T09:00:00+08:00", AccidentalDamage, R.Return, Rejected(RejectionReason.AccidentalDamageNotCovered, false, true) },
        { "clothing, accidental damage after every window", "clothing", Buyer, "2024-03-01T09:00:00+08:00", AccidentalDamage, R.Return, Rejected(RejectionReason.OutOfWarranty, false, true) },
        // Long discovery.
        { "seed defect inside the return window", "seeds", Buyer, "2024-04-05T09:00:00+08:00", LongDiscoveryDefect, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "seed never sprouted, entry closed: reopen helps", "seeds", Buyer, "2024-05-31T09:00:00+08:00", LongDiscoveryDefect, R.Return, Rejected(RejectionReason.EntryClosed, true, false) },
        { "seed never sprouted, after reopening", "seeds-reopened", Buyer, "2024-06-01T09:00:00+08:00", LongDiscoveryDefect, R.Return, Approved(CoverageKind.LongDiscovery, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "plant with an ordinary fault after the windows", "seeds", Buyer, "2024-05-31T09:00:00+08:00", QualityFault, R.Return, Rejected(RejectionReason.OutOfWarranty, false, true) },
        { "long discovery, limit's last second", "seeds", Buyer, "2025-04-01T23:59:59+08:00", LongDiscoveryDefect, R.Return, Rejected(RejectionReason.EntryClosed, true, false) },
        { "long discovery, first second past the limit", "seeds", Buyer, "2025-04-02T00:00:00+08:00", LongDiscoveryDefect, R.Return, Rejected(RejectionReason.OutOfWarranty, false, true) },
        // An instant on a different local date in Shanghai than in UTC.
        { "23:59:59 Shanghai is 15:59:59 UTC: still day 7", "phone-march", Buyer, "2024-03-08T15:59:59Z", QualityFault, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "2024-03-08T16:30Z is 2024-03-09 in Shanghai: day 8", "phone-march", Buyer, "2024-03-08T16:30:00Z", QualityFault, R.Return, Approved(ThreeGuaranteesReplacement, R.Replacement, Answerer.Merchant, ShippingPayer.Merchant) },
        // The seed's worked example.
        { "worked example: base warranty's last second", "worked-example", Buyer, "2024-03-08T15:59:59Z", QualityFault, R.Repair, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "worked example: plan's first second, 2024-03-09 00:00 local", "worked-example", Buyer, "2024-03-08T16:00:00Z", QualityFault, R.Repair, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
        { "worked example: plan's last second, 2025-03-08 23:59:59 local", "worked-example", Buyer, "2025-03-08T15:59:59Z", QualityFault, R.Repair, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
        { "worked example: first second after the plan", "worked-example", Buyer, "2025-03-08T16:00:00Z", QualityFault, R.Repair, Rejected(RejectionReason.OutOfWarranty, false, true) },
        // Refusals, in their order.
        { "not the buyer", "phone", Stranger, "2024-01-12T09:00:00+08:00", QualityFault, R.Return, Rejected(RejectionReason.NotBuyer, false, false) },
        { "customer service files for the buyer", "phone", CustomerService, "2024-01-12T09:00:00+08:00", QualityFault, R.Return, Approved(ThreeGuaranteesReturn, R.Return, Answerer.Merchant, ShippingPayer.Merchant) },
        { "customer service naming someone else", "phone", CustomerServiceForStranger, "2024-01-12T09:00:00+08:00", QualityFault, R.Return, Rejected(RejectionReason.NotBuyer, false, false) },
        { "line refunded", "phone-refunded", Buyer, "2024-03-01T09:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.LineRefunded, false, false) },
        { "not the buyer comes before line refunded", "phone-refunded", Stranger, "2024-03-01T09:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.NotBuyer, false, false) },
        { "a claim is still open", "phone-open-claim", Buyer, "2024-03-05T09:00:00+08:00", QualityFault, R.Repair, Rejected(RejectionReason.ClaimAlreadyOpen, false, false) },
        // Repeat repairs (三包).
        { "after one repair: repair again", "phone-one-repair", Buyer, "2024-06-01T09:00:00+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesRepair, R.Repair, Answerer.Brand, ShippingPayer.Brand) },
        { "after two repairs: replacement past day 15", "phone-two-repairs", Buyer, "2024-06-01T09:00:00+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesRepair, R.Replacement, Answerer.Brand, ShippingPayer.Brand, repeatRepair: true) },
        { "after two repairs, return asked: replacement", "phone-two-repairs", Buyer, "2024-06-01T09:00:00+08:00", QualityFault, R.Return, Approved(ThreeGuaranteesRepair, R.Replacement, Answerer.Brand, ShippingPayer.Brand, repeatRepair: true) },
        { "after two repairs, accidental damage is still not covered", "phone-two-repairs", Buyer, "2024-06-01T09:00:00+08:00", AccidentalDamage, R.Repair, Rejected(RejectionReason.AccidentalDamageNotCovered, false, true) },
        { "3 days in repair: 三包 repair's new last second", "phone-two-repairs", Buyer, "2025-01-13T23:59:59+08:00", QualityFault, R.Repair, Approved(ThreeGuaranteesRepair, R.Replacement, Answerer.Brand, ShippingPayer.Brand, repeatRepair: true) },
        { "3 days in repair: first second after → extended plan", "phone-two-repairs", Buyer, "2025-01-14T00:00:00+08:00", QualityFault, R.Repair, Approved(ExtendedWarranty, R.Repair, Answerer.ExtendedWarrantyProgramme, ShippingPayer.Platform) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adjudicates(string @case, string fixture, string claimant, string at, FaultKind fault, R asked, string expected)
    {
        var line = Fixture(fixture);
        var (buyer, by) = claimant switch
        {
            Buyer => (Line.Buyer, ActingParty.Buyer),
            CustomerService => (Line.Buyer, ActingParty.CustomerService),
            Stranger => ("buyer-2", ActingParty.Buyer),
            CustomerServiceForStranger => ("buyer-2", ActingParty.CustomerService),
            _ => throw new ArgumentOutOfRangeException(nameof(claimant), claimant, @case),
        };
        var claim = Line.Claim(at, fault, asked, buyer: buyer, by: by);

        var events = line.When(claim);

        Assert.Equal(expected, Outcome.Of(events));
        var filing = events[0] switch
        {
            ClaimApproved a => a.Filing,
            ClaimRejected r => r.Filing,
            _ => throw new InvalidOperationException(@case),
        };
        Assert.Equal(new ClaimFiling(claim.Claimant, fault, claim.Description, asked, claim.Evidence, claim.Now), filing);
        if (events[0] is ClaimApproved { Answerer: Answerer.Merchant })
            Assert.Equal(new ClaimAwaitingMerchant(claim.ClaimId, Line.Merchant, claim.Now.AddHours(48)), events[1]);
        else
            Assert.Single(events);
    }

    [Fact]
    public void The_table_covers_every_coverage_and_every_reason()
    {
        var expectations = Cases.Select(row => (string)row[6]).ToList();
        foreach (var coverage in Enum.GetValues<CoverageKind>())
            Assert.Contains(expectations, e => e.StartsWith($"approved {coverage} ", StringComparison.Ordinal));
        foreach (var reason in Enum.GetValues<RejectionReason>())
            Assert.Contains(expectations, e => e.StartsWith($"rejected {reason},", StringComparison.Ordinal));
        Assert.True(expectations.Count >= 40);
    }
}
