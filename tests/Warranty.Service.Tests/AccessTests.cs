using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>Who may see and do what, and how bad input is answered.</summary>
public sealed class AccessTests : WarrantyServiceTest
{
    private string orderId = null!;
    private string buyer = null!;
    private string merchant = null!;
    private ClaimView claim = null!;

    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
    }

    /// <summary>One order of clothing with a claim waiting for its merchant, which every test reads or acts on.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-2), Line("line-1", "clothing", nationalMonths: 0)));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        claim = await (await client.FileClaim(Claim(orderId, "line-1", "NotAsDescribed", "Return"))).Read<ClaimView>();
    }

    /// <summary>Nothing that only someone who can see the order would know.</summary>
    private void AssertNothingLeaks(string body)
    {
        foreach (var secret in new[] { buyer, merchant, "sku-line-1", "Product of line-1", "clothing", "flickers" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(PlatformRoles.Buyer)]
    [InlineData(PlatformRoles.Merchant)]
    public async Task Another_buyer_or_merchant_is_told_the_warranty_and_claim_do_not_exist(string role)
    {
        using var stranger = warranty.As(role, Id("stranger"));

        var warrantyResponse = await stranger.GetAsync($"/warranties/{orderId}/line-1");
        var absentWarranty = await stranger.GetAsync("/warranties/no-such-order/line-1");
        var claimResponse = await stranger.GetAsync($"/claims/{claim.ClaimId}");
        var absentClaim = await stranger.GetAsync($"/claims/{Guid.NewGuid()}");

        var (foreignWarranty, missingWarranty) = (await warrantyResponse.Problem(404), await absentWarranty.Problem(404));
        Assert.Equal(missingWarranty.GetProperty("detail").GetString()!.Replace("no-such-order", orderId, StringComparison.Ordinal),
            foreignWarranty.GetProperty("detail").GetString());
        var (foreignClaim, missingClaim) = (await claimResponse.Problem(404), await absentClaim.Problem(404));
        Assert.Equal(missingClaim.GetProperty("title").GetString(), foreignClaim.GetProperty("title").GetString());
        AssertNothingLeaks(foreignWarranty.ToString() + foreignClaim);
    }

    [Theory]
    [InlineData(PlatformRoles.Buyer, true)]
    [InlineData(PlatformRoles.Merchant, true)]
    [InlineData(PlatformRoles.CustomerService, false)]
    [InlineData(PlatformRoles.Arbitrator, false)]
    public async Task The_orders_parties_customer_service_and_arbitrators_read_the_warranty_and_the_claim(string role, bool party)
    {
        using var reader = warranty.As(role, party ? (role == PlatformRoles.Buyer ? buyer : merchant) : "staff-1");

        var file = await (await reader.GetAsync($"/warranties/{orderId}/line-1")).Read<WarrantyView>();
        var read = await (await reader.GetAsync($"/claims/{claim.ClaimId}")).Read<ClaimView>();

        Assert.Equal((buyer, claim.ClaimId), (file.BuyerId, file.Claims.Single().ClaimId));
        Assert.Equal((claim.ClaimId, "The screen flickers and goes dark."), (read.ClaimId, read.FaultDescription));
    }

    [Theory]
    [InlineData(PlatformRoles.Provider)]
    [InlineData(PlatformRoles.Operator)]
    public async Task Roles_that_never_read_warranties_are_forbidden(string role)
    {
        using var client = warranty.As(role, "someone");

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/warranties/{orderId}/line-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/claims/{claim.ClaimId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.FileClaim(Claim(orderId, "line-1"))).StatusCode);
    }

    [Fact]
    public async Task A_call_without_a_token_is_unauthorized()
    {
        using var anonymous = warranty.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/warranties/{orderId}/line-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/claims/{claim.ClaimId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.FileClaim(Claim(orderId, "line-1"))).StatusCode);
    }

    [Fact]
    public async Task Only_the_orders_merchant_answers_its_claims_and_another_buyer_cannot_claim_on_the_order()
    {
        using var otherShop = warranty.As(PlatformRoles.Merchant, Id("merchant"));
        using var theBuyer = warranty.As(PlatformRoles.Buyer, buyer);
        using var otherBuyer = warranty.As(PlatformRoles.Buyer, Id("buyer"));

        AssertNothingLeaks((await (await otherShop.PostAsync($"/claims/{claim.ClaimId}/accept", null)).Problem(404)).ToString());
        AssertNothingLeaks((await (await otherShop.PostAsJsonAsync($"/claims/{claim.ClaimId}/refuse", new { reason = "no" })).Problem(404)).ToString());
        await (await theBuyer.PostAsync($"/claims/{claim.ClaimId}/accept", null)).Problem(403);
        AssertNothingLeaks((await (await otherBuyer.FileClaim(Claim(orderId, "line-1"))).Problem(404)).ToString());
        AssertNothingLeaks((await (await otherBuyer.PostAsJsonAsync($"/claims/{claim.ClaimId}/escalate", new { statement = "mine" })).Problem(404)).ToString());
        var stillWaiting = await (await theBuyer.GetAsync($"/claims/{claim.ClaimId}")).Read<ClaimView>();
        Assert.Equal(Warranty.Domain.ClaimStatus.AwaitingMerchant, stillWaiting.Status);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_never_a_500()
    {
        using var client = warranty.As(PlatformRoles.Buyer, buyer);

        var badEnum = await (await client.FileClaim(Claim(orderId, "line-1", remedy: "Teleport"))).Problem(400);
        Assert.Contains("Return, Replacement, Repair", badEnum.GetProperty("errors").GetProperty("remedyAsked")[0].GetString(), StringComparison.Ordinal);
        var numeric = await (await client.FileClaim(Claim(orderId, "line-1", fault: "3"))).Problem(400);
        Assert.True(numeric.GetProperty("errors").TryGetProperty("fault", out _));
        var badLink = await (await client.FileClaim(new { orderId, lineId = "line-1", fault = "QualityFault", faultDescription = "x", remedyAsked = "Repair", evidenceLinks = new[] { "file:///etc/passwd" } })).Problem(400);
        Assert.True(badLink.GetProperty("errors").TryGetProperty("evidenceLinks[0]", out _));
        var missing = await (await client.FileClaim(new { orderId })).Problem(400);
        Assert.True(missing.GetProperty("errors").TryGetProperty("lineId", out _));

        using var malformed = new StringContent("{\"orderId\": ", Encoding.UTF8, "application/json");
        await (await client.PostAsync("/claims", malformed)).Problem(400);
        using var wrongType = new StringContent("{\"orderId\": 5}", Encoding.UTF8, "application/json");
        var typed = await (await client.PostAsync("/claims", wrongType)).Problem(400);
        Assert.Contains("$.orderId", typed.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var badKey = await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/claims")
        {
            Content = JsonContent.Create(Claim(orderId, "line-1")),
            Headers = { { "Idempotency-Key", "not-a-uuid" } },
        })).Problem(400);
        Assert.True(badKey.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        var badId = await (await client.GetAsync("/claims/not-a-uuid")).Problem(400);
        Assert.Contains("id", badId.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var noStatement = await (await client.PostAsJsonAsync($"/claims/{claim.ClaimId}/escalate", new { })).Problem(400);
        Assert.True(noStatement.GetProperty("errors").TryGetProperty("statement", out _));
    }
}
