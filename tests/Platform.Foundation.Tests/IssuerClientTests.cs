using System.Net;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>How a caller of the issuer lives through the issuer failing for a moment.</summary>
public class IssuerClientTests
{
    [Fact]
    public async Task A_registration_the_issuer_failed_is_asked_again_on_the_next_call_and_then_succeeds()
    {
        var issuer = await TestIssuer.Shared;
        var faults = new FirstRegistrationFails { InnerHandler = new HttpClientHandler() };
        using var client = new IssuerClient(issuer.Authority, issuer.AdministratorSecret, faults);
        var buyer = $"buyer-{Guid.NewGuid():N}";

        var first = await Assert.ThrowsAsync<HttpRequestException>(() => client.TokenFor(PlatformRoles.Buyer, buyer, "warranty"));
        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);

        var token = await client.TokenFor(PlatformRoles.Buyer, buyer, "warranty");
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(2, faults.Registrations);
    }

    /// <summary>The issuer's database restarting: its first client registration answers 500.</summary>
    private sealed class FirstRegistrationFails : DelegatingHandler
    {
        public int Registrations;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put && Interlocked.Increment(ref Registrations) == 1)
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
