using Microsoft.Extensions.Configuration;
using RepairDispatch.Domain;

namespace RepairDispatch.Service.Tests;

/// <summary>Every policy number comes from configuration, and a service with an invalid one refuses to start.</summary>
public sealed class SettingsTests
{
    private static RepairDispatchSettings From(params (string Key, string Value)[] values) =>
        RepairDispatchSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Without_configuration_the_policy_is_the_documented_one()
    {
        var settings = From();

        Assert.Equal(RepairDispatchPolicy.Default, settings.Policy);
        Assert.Empty(settings.Providers);
    }

    [Fact]
    public void Every_policy_number_and_the_seeds_bind_from_the_section()
    {
        var settings = From(
            ("RepairDispatch:CallbackSla", "12:00:00"), ("RepairDispatch:MaxAttempts", "5"), ("RepairDispatch:DeviceFeedbackDeadline", "20.00:00:00"),
            ("RepairDispatch:SuspensionBreachThreshold", "4"), ("RepairDispatch:SuspensionWindow", "7.00:00:00"),
            ("RepairDispatch:QualityScore:OnTimeCallback", "2"), ("RepairDispatch:QualityScore:Completion", "3"),
            ("RepairDispatch:QualityScore:Breach", "5"), ("RepairDispatch:QualityScore:Decline", "1"), ("RepairDispatch:QualityScore:PriorWeight", "8"),
            ("RepairDispatch:Providers:0:Id", "svc-gd-1"), ("RepairDispatch:Providers:0:Regions:0", "440000"), ("RepairDispatch:Providers:0:Regions:1", "450000"),
            ("RepairDispatch:Providers:0:Categories:0", "phone"), ("RepairDispatch:Providers:0:Capacity", "20"));

        Assert.Equal(new RepairDispatchPolicy(TimeSpan.FromHours(12), 5, TimeSpan.FromDays(20), 4, TimeSpan.FromDays(7), new QualityScoreWeights(2, 3, 5, 1, 8)),
            settings.Policy);
        var seed = Assert.Single(settings.Providers);
        Assert.Equal(("svc-gd-1", 20), (seed.Id, seed.Capacity));
        Assert.Equal(["440000", "450000"], seed.Regions);
    }

    [Theory]
    [InlineData("RepairDispatch:CallbackSla", "-01:00:00")]
    [InlineData("RepairDispatch:CallbackSla", "a day")]
    [InlineData("RepairDispatch:MaxAttempts", "0")]
    [InlineData("RepairDispatch:DeviceFeedbackDeadline", "00:00:00")]
    [InlineData("RepairDispatch:SuspensionBreachThreshold", "0")]
    [InlineData("RepairDispatch:SuspensionWindow", "-1.00:00:00")]
    [InlineData("RepairDispatch:SuspensionWindow", "366.00:00:00")]
    [InlineData("RepairDispatch:BusinessTimeZoneId", "Asia/Atlantis")]
    [InlineData("RepairDispatch:MaxAttachmentLinks", "-1")]
    [InlineData("RepairDispatch:VirtualNumbers:Provider", "Carrier pigeon")]
    [InlineData("RepairDispatch:VirtualNumbers:Provider", "Http")]
    [InlineData("RepairDispatch:VirtualNumbers:ReleaseInterval", "00:00:00")]
    [InlineData("RepairDispatch:QualityScore:Breach", "-1")]
    [InlineData("RepairDispatch:QualityScore:PriorWeight", "0")]
    [InlineData("RepairDispatch:CalbackSla", "12:00:00")]
    [InlineData("RepairDispatch:Webhooks:AttemptTimeout", "00:00:00")]
    [InlineData("RepairDispatch:Webhooks:Lease", "00:00:05")]
    [InlineData("RepairDispatch:Webhooks:MaxRetryDelay", "00:00:01")]
    [InlineData("RepairDispatch:Webhooks:ConcurrencyPerProvider", "100")]
    [InlineData("RepairDispatch:Webhooks:TrustedCertificateFiles:0", "/no/such/certificate.pem")]
    [InlineData("RepairDispatch:Webhooks:AllowedNetworks:0", "10.0.0.0/33")]
    [InlineData("RepairDispatch:Webhooks:AllowHtp", "true")]
    [InlineData("RepairDispatch:BrokerUsers:Timeout", "00:00:00")]
    public void An_invalid_or_misspelt_setting_is_refused_by_name(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => From((key, value)));

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_allowed_network_stops_the_service_at_start_naming_its_setting()
    {
        // The networks are parsed once, into the WebhookAddresses the service keeps; a bad one must stop Create, not answer 500 later.
        var error = Assert.Throws<InvalidOperationException>(() => RepairDispatchService.Create(
            ["--RepairDispatch:Webhooks:AllowedNetworks:0=127.0.0.0/8", "--RepairDispatch:Webhooks:AllowedNetworks:1=10.0.0.0/33"]));

        Assert.Contains("RepairDispatch:Webhooks:AllowedNetworks:1 must be a network in CIDR notation (10.1.0.0/16), not '10.0.0.0/33'", error.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedNetworks:0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Id", "bad id")]
    [InlineData("Capacity", "0")]
    [InlineData("Regions", null)]
    public void An_invalid_seeded_provider_is_refused_by_name(string field, string? value)
    {
        var values = new Dictionary<string, string>
        {
            ["Id"] = "svc-1", ["Regions:0"] = "440000", ["Categories:0"] = "phone", ["Capacity"] = "3",
        };
        values.Remove(field == "Regions" ? "Regions:0" : field);
        if (value is not null)
        {
            values[field] = value;
        }

        var error = Assert.Throws<InvalidOperationException>(() => From([.. values.Select(v => ($"RepairDispatch:Providers:0:{v.Key}", v.Value))]));

        Assert.Contains($"RepairDispatch:Providers:0:{field}", error.Message, StringComparison.Ordinal);
    }
}
