using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.Testing;
using Warranty.Domain;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>The request side of the handler pipeline: the Idempotency-Key every state-changing request carries.</summary>
public sealed class IdempotencyTests : WarrantyServiceTest
{
    protected override async Task Observe(BusProbe probe) => await probe.Observe<Contract.WarrantyActivated>();

    [Fact]
    public async Task A_state_changing_request_without_an_idempotency_key_is_a_bad_request()
    {
        using var bare = new HttpClient { BaseAddress = warranty.Address };
        bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await env.Tokens.TokenFor(PlatformRoles.Merchant, Id("merchant"), warranty.Name));

        // Before anything else: the claim does not even exist, and the answer is still about the key.
        var missing = await (await bare.PostAsync($"/claims/{Guid.NewGuid()}/accept", null)).Problem(400);

        Assert.True(missing.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task Two_callers_may_use_the_same_key_each_for_their_own_request()
    {
        var key = Guid.NewGuid().ToString();
        var claims = new List<(HttpClient Merchant, Guid ClaimId)>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
            await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-2), Line("line-1", "clothing", nationalMonths: 0)));
            using var client = warranty.As(PlatformRoles.Buyer, buyer);
            var claim = await (await client.FileClaim(Claim(orderId, "line-1", "DeadOnArrival", "Return"))).Read<ClaimView>();
            claims.Add((warranty.As(PlatformRoles.Merchant, merchant), claim.ClaimId));
        }

        foreach (var (merchant, claimId) in claims)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/claims/{claimId}/accept") { Headers = { { "Idempotency-Key", key } } };
            var accepted = await (await merchant.SendAsync(request)).Read<ClaimView>();
            Assert.Equal((claimId, ClaimStatus.InService), (accepted.ClaimId, accepted.Status));
        }
    }

    [Fact]
    public async Task Twice_as_many_requests_at_once_as_the_connection_pool_holds_all_answer_without_waiting_for_a_connection()
    {
        // Each request's unit of work takes a connection; the key's record must not hold a second
        // one while it runs, or a burst starves the pool (50) and every request waits its 15 s out.
        using var merchant = warranty.As(PlatformRoles.Merchant, Id("merchant"));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/claims/{Guid.NewGuid()}/accept") { Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } } };
            using var response = await merchant.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.NotFound, status));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(14), $"100 requests took {started.Elapsed}: some waited for a connection");
    }

    [Fact]
    public async Task A_second_request_under_a_key_in_progress_waits_for_the_first_answer_and_gets_it()
    {
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, DateTimeOffset.UtcNow.AddDays(-2), Line("line-1", "clothing", nationalMonths: 0)));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "DeadOnArrival", "Return"))).Read<ClaimView>();
        using var seller = warranty.As(PlatformRoles.Merchant, merchant);
        var key = Guid.NewGuid().ToString();

        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/claims/{claim.ClaimId}/accept") { Headers = { { "Idempotency-Key", key } } };
            using var response = await seller.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal(200, both[0].Item1);
        Assert.Equal(both[0], both[1]);
    }
}

/// <summary>Deadlines under a clock 10,000 times faster than real time: the merchant's 48 hours pass in about 17 seconds.</summary>
public sealed class DeadlineTests() : WarrantyServiceTest(clockSpeed: 10_000)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
        await probe.Observe<Contract.ClaimAwaitingMerchant>();
        await probe.Observe<Contract.ClaimAcceptedByMerchant>();
    }

    /// <summary>A return claim on a shirt, waiting for its merchant, whose own deadline message is taken out of the outbox.</summary>
    private async Task<(Guid ClaimId, string OrderId, HttpClient Merchant, Contract.ClaimAwaitingMerchant Waiting)> WaitingClaimWithoutItsDeadline()
    {
        var (orderId, buyer, merchant) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchant, env.TimeProvider.GetUtcNow().AddDays(-2), Line("line-1", "clothing", nationalMonths: 0)));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "DeadOnArrival", "Return"))).Read<ClaimView>();
        var waiting = await probe.WaitFor<Contract.ClaimAwaitingMerchant>(m => m.ClaimId == claim.ClaimId, Wait, "the claim waits for the merchant");
        await using var command = warranty.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("delete from outbox where scheduled and body like '%' || $1 || '%'");
        command.Parameters.Add(new() { Value = claim.ClaimId.ToString() });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return (claim.ClaimId, orderId, warranty.As(PlatformRoles.Merchant, merchant), waiting);
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("refuse")]
    public async Task A_merchant_answering_in_time_cancels_its_deadline(string answer)
    {
        var (orderId, buyer, merchantId) = (Id("order"), Id("buyer"), Id("merchant"));
        await Complete(probe, Order(orderId, buyer, merchantId, env.TimeProvider.GetUtcNow().AddDays(-2), Line("line-1", "clothing", nationalMonths: 0)));
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claim = await (await client.FileClaim(Claim(orderId, "line-1", "DeadOnArrival", "Return"))).Read<ClaimView>();
        await probe.WaitFor<Contract.ClaimAwaitingMerchant>(m => m.ClaimId == claim.ClaimId, Wait, "the claim waits for the merchant");
        var deadline = WarrantyFileEffects.MerchantDeadlineId(claim.ClaimId);
        Assert.Equal(1L, await ScheduledRows(deadline));

        using var merchant = warranty.As(PlatformRoles.Merchant, merchantId);
        using var answered = answer == "accept"
            ? await merchant.PostAsync($"/claims/{claim.ClaimId}/accept", null)
            : await merchant.PostAsJsonAsync($"/claims/{claim.ClaimId}/refuse", new { reason = "worn", evidenceLinks = new[] { "https://evidence.example/worn.jpg" } });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        Assert.Equal(0L, await ScheduledRows(deadline));
    }

    private async Task<long> ScheduledRows(Guid id) =>
        await (await env.Database(WarrantyService.Name)).Scalar<long>("select count(*) from outbox where scheduled and id = $1", id);

    [Fact]
    public async Task A_deadline_that_arrives_before_its_time_is_scheduled_again_and_then_accepts_the_claim()
    {
        var (claimId, orderId, _, waiting) = await WaitingClaimWithoutItsDeadline();

        // What a relay whose clock runs ahead would deliver: the deadline, long before this service's clock reaches it.
        await probe.Publish(new Contract.MerchantResponseDeadline { ClaimId = claimId, OrderId = orderId, DueAt = waiting.RespondBy });

        var accepted = await probe.WaitFor<Contract.ClaimAcceptedByMerchant>(m => m.ClaimId == claimId, Long, "the rescheduled deadline accepts the claim");
        Assert.Equal((true, waiting.RespondBy), (accepted.BySilence, accepted.AcceptedAt));
        Assert.True(env.TimeProvider.GetUtcNow() >= waiting.RespondBy);
    }

    [Fact]
    public async Task A_merchant_refusing_after_its_deadline_is_told_so_with_409_and_silence_accepts_the_claim()
    {
        var (claimId, _, merchant, waiting) = await WaitingClaimWithoutItsDeadline();
        await Eventually.Until(() => env.TimeProvider.GetUtcNow() > waiting.RespondBy, Long, "the merchant's 48 hours pass");

        var late = await (await merchant.PostAsJsonAsync($"/claims/{claimId}/refuse", new { reason = "worn", evidenceLinks = new[] { "https://evidence.example/worn.jpg" } })).Problem(409);

        Assert.Equal("MerchantResponseDeadlinePassed", late.GetProperty("code").GetString());
        var accepted = await probe.WaitFor<Contract.ClaimAcceptedByMerchant>(m => m.ClaimId == claimId, Wait, "silence accepts the claim");
        Assert.True(accepted.BySilence);
        merchant.Dispose();
    }
}

/// <summary>OrderCompleted is consumed in batches; a wait of half a second puts the messages of a test in one batch.</summary>
public sealed class BatchIsolationTests : WarrantyServiceTest
{
    public override async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        warranty = await RunningService.Start(args => WarrantyService.Create(args), env, WarrantyService.Name, "--PLATFORM_CONSUMER_BATCH_WAIT_MS=500");
        probe = await BusProbe.Start(env);
        await Observe(probe);
    }

    protected override async Task Observe(BusProbe probe) => await probe.Observe<Contract.WarrantyActivated>();

    [Fact]
    public async Task An_order_whose_warranty_overflows_the_calendar_is_refused_alone_and_its_batch_neighbours_activate()
    {
        var completedAt = DateTimeOffset.UtcNow.AddDays(-2);
        var good = new[] { Order(Id("order"), Id("buyer"), Id("merchant"), completedAt, Line("line-1")), Order(Id("order"), Id("buyer"), Id("merchant"), completedAt, Line("line-1")) };
        var poisoned = Order(Id("order"), Id("buyer"), Id("merchant"), completedAt, Line("line-1") with { ManufacturerWarrantyMonths = int.MaxValue });

        await Task.WhenAll(probe.Publish(good[0]), probe.Publish(poisoned), probe.Publish(good[1]));

        foreach (var order in good)
        {
            await probe.WaitFor<Contract.WarrantyActivated>(m => m.OrderId == order.OrderId, Wait, $"{order.OrderId} activates beside the poisoned order");
        }
        using var operatorClient = warranty.As(PlatformRoles.Operator, "ops-1");
        await Eventually.Until(async () =>
        {
            var refusals = await (await operatorClient.GetAsync("/operations/refusals")).Read<JsonElement>();
            return refusals.EnumerateArray().Any(r => r.GetProperty("body").GetRawText().Contains(poisoned.OrderId, StringComparison.Ordinal));
        }, Wait, "the poisoned order is refused and kept");
        Assert.DoesNotContain(probe.Received<Contract.WarrantyActivated>(), m => m.Message.OrderId == poisoned.OrderId);
    }
}
