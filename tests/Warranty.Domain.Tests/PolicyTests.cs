namespace Warranty.Domain.Tests;

public sealed class PolicyTests
{
    [Fact]
    public void Defaults_are_the_documented_numbers()
    {
        var policy = WarrantyPolicy.Default;

        Assert.Equal(
            ("Asia/Shanghai", 7, 15, 15, 180, 15, 48, 365, 2, true, 72, 5),
            (policy.BusinessTimeZoneId, policy.ReturnDays, policy.ReplaceDays, policy.BaseEntryDays, policy.LongEntryDays,
                policy.ReopenDays, policy.MerchantResponseHours, policy.LongDiscoveryLimitDays, policy.RepairsBeforeReplacement,
                policy.AfterSalesProtection, policy.FiledAtMaxAgeHours, policy.FiledAtClockSkewMinutes));
    }

    [Theory]
    [InlineData(CategoryPolicy.Phones, 180, 7, 15, 12, null)]
    [InlineData(CategoryPolicy.Computers, 180, 7, 15, 12, null)]
    [InlineData(CategoryPolicy.HomeAppliances, 180, 7, 15, 12, null)]
    [InlineData(CategoryPolicy.Clothing, 15, 7, 15, 0, null)]
    [InlineData(CategoryPolicy.Plants, 15, 7, 15, 0, 365)]
    [InlineData(CategoryPolicy.Flowers, 15, 7, 15, 0, 365)]
    [InlineData(CategoryPolicy.Seeds, 15, 7, 15, 0, 365)]
    [InlineData(CategoryPolicy.LiveAnimals, 15, 7, 15, 0, 365)]
    [InlineData("PHONES", 180, 7, 15, 12, null)]
    [InlineData("furniture", 15, 7, 15, 0, null)]
    public void Category_terms_resolve_against_the_platform_policy(
        string category, int entryDays, int returnDays, int replaceDays, int repairMonths, int? longDiscoveryDays) =>
        Assert.Equal(
            new CategoryTerms(entryDays, returnDays, replaceDays, repairMonths, longDiscoveryDays),
            WarrantyPolicy.Default.TermsFor(category));

    [Fact]
    public void A_category_overrides_only_what_it_states()
    {
        var policy = WarrantyPolicy.Default with { ReturnDays = 10, LongEntryDays = 200, LongDiscoveryLimitDays = 400 };
        policy.Categories["pets"] = new CategoryPolicy { ReturnDays = 0, LongDiscovery = true, LongDiscoveryLimitDays = 90 };
        policy.Categories["tv"] = new CategoryPolicy { LongEntry = true, RepairMonths = 36, ReplaceDays = 30 };

        Assert.Equal(new CategoryTerms(15, 0, 15, 0, 90), policy.TermsFor("pets"));
        Assert.Equal(new CategoryTerms(200, 10, 30, 36, null), policy.TermsFor("tv"));
        Assert.Equal(new CategoryTerms(15, 10, 15, 0, 400), policy.TermsFor(CategoryPolicy.Seeds));
    }

    [Fact]
    public void The_unknown_category_fallback_is_configurable()
    {
        var policy = WarrantyPolicy.Default with { UnknownCategory = new CategoryPolicy { RepairMonths = 6 } };

        Assert.Equal(new CategoryTerms(15, 7, 15, 6, null), policy.TermsFor("garden-furniture"));
    }

    [Fact]
    public void Each_Default_is_a_fresh_table_so_one_configuration_cannot_leak_into_another()
    {
        WarrantyPolicy.Default.Categories["phones"] = new CategoryPolicy();

        Assert.Equal(12, WarrantyPolicy.Default.TermsFor(CategoryPolicy.Phones).RepairMonths);
    }

    [Fact]
    public void The_defaults_have_no_problems() => Assert.Empty(WarrantyPolicy.Default.Problems());

    [Fact]
    public void A_bad_configuration_is_reported_in_full()
    {
        var policy = WarrantyPolicy.Default with { BusinessTimeZoneId = "Asia/Atlantis", ReopenDays = -1 };
        policy.Categories["tv"] = new CategoryPolicy { RepairMonths = -12 };

        Assert.Equal(
            [
                "BusinessTimeZoneId 'Asia/Atlantis' is not an IANA time zone",
                "ReopenDays is -1, below zero",
                "category 'tv' has a number below zero",
            ],
            policy.Problems());
    }
}
