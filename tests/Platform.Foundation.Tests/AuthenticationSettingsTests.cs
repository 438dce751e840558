using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults;

namespace Platform.Foundation.Tests;

public sealed class AuthenticationSettingsTests
{
    private static AuthenticationSettings From(params (string Key, string Value)[] settings) =>
        AuthenticationSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build(), "order");

    [Fact]
    public void The_defaults_are_the_development_issuer_on_loopback_this_services_audience_and_a_small_skew()
    {
        var settings = From();
        Assert.Equal(new Uri(AuthenticationSettings.DefaultAuthority), settings.Authority);
        Assert.Equal("order", settings.Audience);
        Assert.False(settings.RequireHttps);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.ClockSkew);
        Assert.Equal(new Uri("http://127.0.0.1:5100/revocations"), settings.Revocations);
    }

    [Fact]
    public void A_plain_http_authority_off_this_machine_is_refused_at_start_unless_allowed()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => From(("PLATFORM_AUTH_AUTHORITY", "http://idp.example/")));
        Assert.Contains("PLATFORM_AUTH_REQUIRE_HTTPS", refused.Message, StringComparison.Ordinal);
        Assert.False(From(("PLATFORM_AUTH_AUTHORITY", "http://identity:8080/"), ("PLATFORM_AUTH_REQUIRE_HTTPS", "false")).RequireHttps);
        Assert.True(From(("PLATFORM_AUTH_AUTHORITY", "https://idp.example/tenant/")).RequireHttps);
    }

    [Fact]
    public void A_provider_without_a_revocation_list_is_configured_with_none()
    {
        Assert.Null(From(("PLATFORM_AUTH_AUTHORITY", "https://idp.example/"), ("PLATFORM_AUTH_REVOCATIONS_URL", "none")).Revocations);
    }
}
