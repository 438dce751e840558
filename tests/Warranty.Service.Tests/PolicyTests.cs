using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Warranty.Domain;

namespace Warranty.Service.Tests;

/// <summary>The policy binds from the Warranty configuration section; these need no servers.</summary>
public sealed class PolicyTests
{
    private static WarrantyPolicy Read(params (string Key, string Value)[] settings) =>
        WarrantyService.ReadPolicy(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Without_settings_the_policy_is_the_domains_default()
    {
        var policy = Read();

        Assert.Equal((7, 15, 48, "Asia/Shanghai"), (policy.ReturnDays, policy.ReplaceDays, policy.MerchantResponseHours, policy.BusinessTimeZoneId));
        Assert.Equal(WarrantyPolicy.Default.TermsFor("phones"), policy.TermsFor("phones"));
    }

    [Fact]
    public void Every_number_is_a_setting_and_a_category_setting_changes_only_what_it_names()
    {
        var policy = Read(
            ("Warranty:ReturnDays", "10"),
            ("Warranty:MerchantResponseHours", "24"),
            ("Warranty:FiledAtMaxAgeHours", "12"),
            ("Warranty:BusinessTimeZoneId", "America/New_York"),
            ("Warranty:Categories:phones:RepairMonths", "24"),
            ("Warranty:Categories:bicycles:RepairMonths", "6"),
            ("Warranty:Categories:bicycles:LongEntry", "true"));

        Assert.Equal((10, 24, 12, "America/New_York"), (policy.ReturnDays, policy.MerchantResponseHours, policy.FiledAtMaxAgeHours, policy.BusinessTimeZoneId));
        Assert.Equal(new CategoryTerms(EntryDays: 180, ReturnDays: 10, ReplaceDays: 15, RepairMonths: 24, LongDiscoveryDays: null), policy.TermsFor("Phones"));
        Assert.Equal(new CategoryTerms(180, 10, 15, 6, null), policy.TermsFor("bicycles"));
        Assert.Equal(365, policy.TermsFor("seeds").LongDiscoveryDays);
    }

    [Theory]
    [InlineData("Warranty:ReturnDays", "-1", "ReturnDays is -1")]
    [InlineData("Warranty:FiledAtMaxAgeHours", "-1", "FiledAtMaxAgeHours is -1")]
    [InlineData("Warranty:FiledAtClockSkewMinutes", "-5", "FiledAtClockSkewMinutes is -5")]
    [InlineData("Warranty:ReturnDays", "seven", "Warranty:ReturnDays")]
    [InlineData("Warranty:BusinessTimeZoneId", "Mars/Olympus", "Mars/Olympus")]
    [InlineData("Warranty:Categories:phones:RepairMonths", "-12", "category 'phones'")]
    [InlineData("Warranty:RetrunDays", "7", "RetrunDays")]
    public void The_service_refuses_to_start_on_a_policy_it_cannot_honour_naming_the_setting(string key, string value, string named)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => WarrantyService.Create([$"--{key}={value}"]));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_composition_root_serves_the_policy_it_read()
    {
        using var app = (IDisposable)WarrantyService.Create(["--Warranty:ReopenDays=30"]);

        Assert.Equal(30, ((Microsoft.AspNetCore.Builder.WebApplication)app).Services.GetRequiredService<WarrantyPolicy>().ReopenDays);
    }

    [Fact]
    public void Every_event_of_the_domain_has_a_stored_name_and_no_two_share_one()
    {
        var declared = typeof(WarrantyFileEvent).Assembly.GetTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(WarrantyFileEvent)));

        Assert.NotEmpty(declared);
        Assert.Empty(declared.Except(EventTypes.Names.Keys));
        Assert.Equal(EventTypes.Names.Count, EventTypes.Names.Values.Distinct().Count());
        Assert.All(EventTypes.Names.Values, name => Assert.StartsWith("warranty.", name, StringComparison.Ordinal));
    }
}
