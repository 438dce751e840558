using static Warranty.Domain.Tests.Time;
using static Warranty.Domain.WarrantyFileCommand;
using static Warranty.Domain.WarrantyFileEvent;

namespace Warranty.Domain.Tests;

/// <summary>
/// A claim filed in another platform system carries the instant the buyer asked: it is adjudicated as of that
/// instant, but the platform's own deadlines run from when the platform received it, and a filing older than the
/// policy allows is refused.
/// </summary>
public sealed class FilingTimeTests
{
    /// <summary>A shirt confirmed 2024-01-10: its return window is 01-10 to 01-16, the replacement window to 01-24.</summary>
    private static Line Shirt(WarrantyPolicy? policy = null) => Line.Activated(CategoryPolicy.Clothing, nationalMonths: 0, policy: policy);

    private static FileClaim FiledElsewhere(string filedAt, DateTimeOffset receivedAt) =>
        Line.Claim(filedAt, asked: Remedy.Return, by: ActingParty.CustomerService) with { ReceivedAt = receivedAt };

    [Fact]
    public void A_claim_two_days_old_is_adjudicated_as_of_its_filing_and_the_merchant_has_48_hours_from_its_arrival()
    {
        var receivedAt = At("2024-01-17T10:00:00+08:00");
        var claim = FiledElsewhere("2024-01-15T10:00:00+08:00", receivedAt);

        var events = Shirt().When(claim);

        // On arrival the return window had closed; on the day the buyer asked it was open, and that is what counts.
        Assert.Equal(Outcome.Approved(CoverageKind.ThreeGuaranteesReturn, Remedy.Return, Answerer.Merchant, ShippingPayer.Merchant), Outcome.Of(events));
        Assert.Equal(new ClaimAwaitingMerchant(claim.ClaimId, Line.Merchant, At("2024-01-19T10:00:00+08:00")), events[^1]);
        Assert.Equal((claim.Now, receivedAt), (((ClaimApproved)events[0]).Filing.FiledAt, ((ClaimApproved)events[0]).Filing.ReceivedAt));
    }

    [Fact]
    public void A_claim_filed_here_gives_the_merchant_48_hours_from_its_filing()
    {
        var claim = Line.Claim("2024-01-15T10:00:00+08:00", asked: Remedy.Return);

        Assert.Equal(new ClaimAwaitingMerchant(claim.ClaimId, Line.Merchant, At("2024-01-17T10:00:00+08:00")), Shirt().When(claim)[^1]);
    }

    [Fact]
    public void A_claim_that_arrives_more_than_72_hours_after_its_filing_is_refused_with_its_reason_and_one_on_the_limit_is_decided()
    {
        var filedAt = "2024-01-15T10:00:00+08:00";
        var line = Shirt();

        var refusal = line.Refused(FiledElsewhere(filedAt, At(filedAt).AddHours(72).AddSeconds(1)), WarrantyRefusalCode.FiledTooLongAgo);

        Assert.Contains("72 hours", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("Warranty__FiledAtMaxAgeHours", refusal.Reason, StringComparison.Ordinal);
        Assert.IsType<ClaimApproved>(line.When(FiledElsewhere(filedAt, At(filedAt).AddHours(72)))[0]);
    }

    [Fact]
    public void How_far_back_a_filing_may_lie_is_policy()
    {
        var line = Shirt(WarrantyPolicy.Default with { FiledAtMaxAgeHours = 24 });

        line.Refused(FiledElsewhere("2024-01-15T10:00:00+08:00", At("2024-01-17T10:00:00+08:00")), WarrantyRefusalCode.FiledTooLongAgo);
    }
}
