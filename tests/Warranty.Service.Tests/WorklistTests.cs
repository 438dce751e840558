using System.Net;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using Platform.Testing;
using Warranty.Service.ReadModels;
using Warranty.Service.Views;
using static Warranty.Service.Tests.Sample;
using Contract = Platform.Contracts.Warranty.V1;

namespace Warranty.Service.Tests;

/// <summary>GET /claims and GET /warranties: whose items, in what order, filtered, paged, with deadlines in both zones.</summary>
public sealed class WorklistTests : WarrantyServiceTest
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected override async Task Observe(BusProbe probe)
    {
        await probe.Observe<Contract.WarrantyActivated>();
    }

    /// <summary>An order of <paramref name="lines"/> clothing lines two days after d0: a return claim on each waits for the merchant.</summary>
    private async Task<string> Shirts(string buyer, string merchant, int lines, DateTimeOffset? completedAt = null)
    {
        var orderId = Id("order");
        await Complete(probe, Order(orderId, buyer, merchant, completedAt ?? DateTimeOffset.UtcNow.AddDays(-2),
            [.. Enumerable.Range(1, lines).Select(n => Line($"line-{n}", "clothing", nationalMonths: 0))]));
        return orderId;
    }

    private static async Task<ClaimView> Return(HttpClient client, string orderId, int line, string? buyerId = null) =>
        await (await client.FileClaim(Claim(orderId, $"line-{line}", "NotAsDescribed", "Return", buyerId))).Read<ClaimView>();

    private static async Task<Page<T>> Get<T>(HttpClient client, string path) => await (await client.GetAsync(path)).Read<Page<T>>();

    private static Task<List<T>> All<T>(HttpClient client, string path, Func<Task>? between = null) => Worklists.All<T>(client, path, Json, between);

    /// <summary>The same moment in UTC and on Shanghai's clock; PostgreSQL keeps microseconds, the events ticks.</summary>
    private static void AssertBothZones(ZonedInstant shown, DateTimeOffset exact)
    {
        var instant = exact.AddTicks(-(exact.Ticks % 10));
        Assert.Equal((instant, TimeSpan.Zero, "Asia/Shanghai"), (shown.Utc, shown.Utc.Offset, shown.TimeZone));
        Assert.Equal((instant, Shanghai), (shown.Local, shown.Local.Offset));
    }

    [Fact]
    public async Task A_merchant_lists_its_own_claims_awaiting_its_answer_first_by_respond_by_and_never_another_merchants()
    {
        var (buyer, merchant, otherMerchant) = (Id("buyer"), Id("merchant"), Id("merchant"));
        var orderId = await Shirts(buyer, merchant, 4);
        var otherOrder = await Shirts(buyer, otherMerchant, 1);
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var claims = new List<ClaimView>();
        for (var line = 1; line <= 4; line++)
        {
            claims.Add(await Return(client, orderId, line));
        }
        var othersClaim = await Return(client, otherOrder, 1);
        using var shop = warranty.As(PlatformRoles.Merchant, merchant);
        // The first filed, and so the first due, is answered: it leaves the head of the list for its end.
        await (await shop.PostAsync($"/claims/{claims[0].ClaimId}/accept", null)).Read<ClaimView>();

        var listed = await All<ClaimListItem>(shop, "/claims?limit=2");

        Assert.Equal([claims[1].ClaimId, claims[2].ClaimId, claims[3].ClaimId, claims[0].ClaimId], listed.Select(c => c.ClaimId));
        Assert.Equal([true, true, true, false], listed.Select(c => c.AwaitingMerchant));
        Assert.DoesNotContain(listed, c => c.ClaimId == othersClaim.ClaimId || c.MerchantId != merchant);
        Assert.True(listed[0].RespondBy!.Utc < listed[1].RespondBy!.Utc && listed[1].RespondBy!.Utc < listed[2].RespondBy!.Utc);
        foreach (var (item, view) in listed.Take(3).Zip(claims.Skip(1)))
        {
            AssertBothZones(item.RespondBy!, view.RespondBy!.Value);
            AssertBothZones(item.FiledAt, view.FiledAt);
        }

        var waiting = await All<ClaimListItem>(shop, "/claims?status=AwaitingMerchant");
        Assert.Equal(3, waiting.Count);
        Assert.Equal([claims[2].ClaimId], (await All<ClaimListItem>(shop, $"/claims?orderId={orderId}&status=AwaitingMerchant&limit=1")).Skip(1).Take(1).Select(c => c.ClaimId));
        Assert.Empty(await All<ClaimListItem>(shop, $"/claims?orderId={otherOrder}"));
        await (await shop.GetAsync($"/claims?merchantId={otherMerchant}")).Problem(403);
        Assert.Equal(4, (await All<ClaimListItem>(shop, $"/claims?merchantId={merchant}")).Count);
        using var otherShop = warranty.As(PlatformRoles.Merchant, otherMerchant);
        Assert.Equal([othersClaim.ClaimId], (await All<ClaimListItem>(otherShop, "/claims")).Select(c => c.ClaimId));
    }

    [Fact]
    public async Task Paging_returns_every_claim_once_while_claims_are_filed_between_pages()
    {
        var (buyer, merchant) = (Id("buyer"), Id("merchant"));
        var orderId = await Shirts(buyer, merchant, 12);
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        var before = new List<Guid>();
        for (var line = 1; line <= 7; line++)
        {
            before.Add((await Return(client, orderId, line)).ClaimId);
        }
        using var shop = warranty.As(PlatformRoles.Merchant, merchant);
        using var staff = warranty.As(PlatformRoles.CustomerService, Id("agent"));
        var added = new List<Guid>();
        var next = 8;
        // Between pages of each list a new claim is filed: for the merchant it sorts after every claim already there
        // (a later deadline), for the buyer before them (newest first), so both edges of the cursor are exercised.
        async Task FileAnother() => added.Add((await Return(next % 2 == 0 ? client : staff, orderId, next++, buyer)).ClaimId);

        var merchantList = (await All<ClaimListItem>(shop, "/claims?limit=3", FileAnother)).Select(c => c.ClaimId).ToList();
        var buyerList = (await All<ClaimListItem>(client, "/claims?limit=3", FileAnother)).Select(c => c.ClaimId).ToList();

        foreach (var list in new[] { merchantList, buyerList })
        {
            Assert.Equal(list.Count, list.Distinct().Count());
            Assert.All(before, id => Assert.Contains(id, list));
            Assert.All(list, id => Assert.True(before.Contains(id) || added.Contains(id), $"{id} was never filed"));
        }
        Assert.Equal(2, added.Count(merchantList.Contains)); // 7 claims in pages of 3: two inserts, both after the cursor
        Assert.Equal(before.Count + added.Count, (await All<ClaimListItem>(shop, $"/claims?limit={before.Count + added.Count}")).Count);
    }

    [Fact]
    public async Task A_buyer_lists_its_claims_and_warranties_and_customer_service_its_queue_of_claims_it_filed()
    {
        var (buyer, otherBuyer, merchant, agent) = (Id("buyer"), Id("buyer"), Id("merchant"), Id("agent"));
        var older = await Shirts(buyer, merchant, 2, DateTimeOffset.UtcNow.AddDays(-3));
        var newer = await Shirts(buyer, merchant, 1);
        // Long past every coverage: listed, but not covered.
        var expired = await Shirts(buyer, merchant, 1, DateTimeOffset.UtcNow.AddDays(-400));
        var strangers = await Shirts(otherBuyer, merchant, 1);
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        using var staff = warranty.As(PlatformRoles.CustomerService, agent);
        var own = await Return(client, older, 1);
        var filedForBuyer = await Return(staff, older, 2, buyer);
        using var stranger = warranty.As(PlatformRoles.Buyer, otherBuyer);
        var strangersClaim = await Return(stranger, strangers, 1);

        // Refused outright (a claim is open on the line): the file keeps it by id alone, the worklist in full.
        var refused = await Return(client, older, 1);

        var claims = await All<ClaimListItem>(client, "/claims");
        Assert.Equal([refused.ClaimId, filedForBuyer.ClaimId, own.ClaimId], claims.Select(c => c.ClaimId));
        Assert.Equal(["Buyer", "CustomerService", "Buyer"], claims.Select(c => c.FiledByRole));
        Assert.Equal([refused.ClaimId], (await All<ClaimListItem>(client, "/claims?status=Rejected")).Select(c => c.ClaimId));
        await (await client.GetAsync($"/claims?buyerId={otherBuyer}")).Problem(403);
        Assert.Equal([strangersClaim.ClaimId], (await All<ClaimListItem>(stranger, "/claims")).Select(c => c.ClaimId));
        Assert.Empty(await All<ClaimListItem>(client, "/claims?status=Resolved"));

        var queue = await All<ClaimListItem>(staff, $"/claims?filedBy={agent}");
        Assert.Equal([filedForBuyer.ClaimId], queue.Select(c => c.ClaimId));
        Assert.Contains(filedForBuyer.ClaimId, (await All<ClaimListItem>(staff, $"/claims?buyerId={buyer}")).Select(c => c.ClaimId));
        Assert.DoesNotContain(own.ClaimId, (await All<ClaimListItem>(staff, "/claims")).Select(c => c.ClaimId));

        var warranties = await All<WarrantyListItem>(client, "/warranties?limit=1");
        Assert.Equal([(newer, "line-1"), (older, "line-2"), (older, "line-1"), (expired, "line-1")], warranties.Select(w => (w.OrderId, w.LineId)));
        Assert.Equal([true, true, true, false], warranties.Select(w => w.Covered));
        var file = await (await client.GetAsync($"/warranties/{newer}/line-1")).Read<WarrantyView>();
        AssertBothZones(warranties[0].EntryClosesAt, file.AfterSalesEntry.Window.EndsBefore);
        AssertBothZones(warranties[0].CoveredUntil!, file.Coverages.Max(c => c.Period.EndsBefore));
        Assert.Equal(TimeSpan.Zero, warranties[0].CoveredUntil!.Local.TimeOfDay); // a period ends at a local midnight
        Assert.Equal([(expired, "line-1")], (await All<WarrantyListItem>(client, "/warranties?covered=false")).Select(w => (w.OrderId, w.LineId)));
        Assert.Equal(3, (await All<WarrantyListItem>(client, "/warranties?covered=true")).Count);
        Assert.Equal(2, (await All<WarrantyListItem>(client, $"/warranties?orderId={older}")).Count);
        Assert.Equal(4, (await All<WarrantyListItem>(staff, $"/warranties?buyerId={buyer}")).Count);
        await (await client.GetAsync($"/warranties?buyerId={otherBuyer}")).Problem(403);
        Assert.Contains(warranties[0].OrderId, (await All<WarrantyListItem>(staff, $"/warranties?orderId={newer}")).Select(w => w.OrderId));
    }

    [Fact]
    public async Task Bad_filters_limits_and_cursors_are_400s_naming_the_field_and_other_roles_are_forbidden()
    {
        var (buyer, merchant) = (Id("buyer"), Id("merchant"));
        var orderId = await Shirts(buyer, merchant, 2);
        using var client = warranty.As(PlatformRoles.Buyer, buyer);
        await Return(client, orderId, 1);
        await Return(client, orderId, 2);
        using var shop = warranty.As(PlatformRoles.Merchant, merchant);
        var cursor = Uri.EscapeDataString((await Get<ClaimListItem>(shop, "/claims?status=AwaitingMerchant&limit=1")).NextCursor!);

        async Task Refused(HttpClient who, string path, string field) =>
            Assert.True((await (await who.GetAsync(path)).Problem(400)).GetProperty("errors").TryGetProperty(field, out _), $"{path} names {field}");

        await Refused(shop, "/claims?status=Teleported", "status");
        await Refused(shop, "/claims?limit=0", "limit");
        await Refused(shop, $"/claims?limit={WorklistPaging.Default.MaxPageSize + 1}", "limit");
        await Refused(shop, "/claims?cursor=not-a-cursor", "cursor");
        await Refused(shop, $"/claims?cursor={cursor}", "cursor");
        await Refused(client, $"/claims?status=AwaitingMerchant&cursor={cursor}", "cursor");
        await Refused(shop, "/claims?filedBy=agent-1", "filedBy");
        await Refused(client, "/warranties?cursor=AAAA", "cursor");
        await (await shop.GetAsync("/claims?limit=many")).Problem(400);
        await (await shop.GetAsync("/claims?orderId=a%00b")).Problem(400);
        Assert.Single((await Get<ClaimListItem>(shop, $"/claims?status=AwaitingMerchant&limit=1&cursor={cursor}")).Items);
        foreach (var role in new[] { PlatformRoles.Provider, PlatformRoles.Operator, PlatformRoles.Arbitrator })
        {
            using var other = warranty.As(role, "someone");
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/claims")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/warranties")).StatusCode);
        }
    }
}
