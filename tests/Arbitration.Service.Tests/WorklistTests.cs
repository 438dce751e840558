using System.Net;
using Arbitration.Service.Cases;
using Arbitration.Service.ReadModels;
using Arbitration.Service.Views;
using Platform.ServiceDefaults.Http;

namespace Arbitration.Service.Tests;

/// <summary>GET /cases as a worklist: each caller's own scope, filters, deadlines in both zones, and cursor paging.</summary>
public sealed class WorklistTests(RealTimeHost host) : ArbitrationTests<RealTimeHost>(host)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private async Task<CaseView> Escalated(string merchantId, string? buyerId = null)
    {
        var escalated = Messages.ClaimEscalated(merchantId, buyerId);
        await Probe.Publish(escalated);
        return await CaseOpened(CaseIds.ForClaim(escalated.ClaimId));
    }

    /// <summary>The same moment in UTC and on Shanghai's clock; PostgreSQL keeps microseconds, the events ticks.</summary>
    private static void AssertBothZones(ZonedInstant shown, DateTimeOffset exact)
    {
        var instant = exact.AddTicks(-(exact.Ticks % 10));
        Assert.Equal((instant, TimeSpan.Zero, "Asia/Shanghai"), (shown.Utc, shown.Utc.Offset, shown.TimeZone));
        Assert.Equal((instant, TimeSpan.FromHours(8)), (shown.Local, shown.Local.Offset));
    }

    [Fact]
    public async Task A_respondent_lists_only_the_cases_it_answers_a_buyer_only_its_own_and_arbitrators_filter_every_case()
    {
        var (merchant, otherMerchant, buyer) = (NewId("merchant"), NewId("merchant"), NewId("buyer"));
        var mine = new List<CaseView>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add(await Escalated(merchant, i == 0 ? buyer : null));
        }
        var others = await Escalated(otherMerchant);
        var repair = Messages.RepairJobEscalated();
        await Probe.Publish(repair);
        var repairCase = await CaseOpened(CaseIds.ForRepairJob(repair.JobId));
        using var respondent = Service.As("merchant", merchant);

        var listed = await ListCases(respondent, "limit=2");

        Assert.Equal(mine.Select(c => c.CaseId), listed.Select(c => c.CaseId));
        Assert.All(listed, c => Assert.Equal((merchant, "Merchant", "AwaitingRespondent"), (c.RespondentId, c.Respondent, c.Status)));
        foreach (var (item, view) in listed.Zip(mine))
        {
            AssertBothZones(item.RespondBy, view.RespondBy);
            AssertBothZones(item.OpenedAt, view.OpenedAt);
            Assert.Equal(view.ClaimId, item.ClaimId);
        }
        await Problem(await respondent.GetAsync($"/cases?merchantId={otherMerchant}"), HttpStatusCode.Forbidden);
        Assert.Equal(3, (await ListCases(respondent, $"merchantId={merchant}")).Count);
        Assert.Empty(await ListCases(respondent, $"orderId={others.OrderId}"));
        using (var rival = Service.As("merchant", otherMerchant))
        {
            Assert.Equal([others.CaseId], (await ListCases(rival, "")).Select(c => c.CaseId));
        }
        using (var operations = Service.As("operator", "ops-1"))
        {
            var answered = await ListCases(operations, "status=AwaitingRespondent");
            Assert.Contains(repairCase.CaseId, answered.Select(c => c.CaseId));
            Assert.All(answered, c => Assert.Equal("PlatformRepairOperations", c.Respondent));
        }
        using (var theBuyer = Service.As("buyer", buyer))
        {
            Assert.Equal([mine[0].CaseId], (await ListCases(theBuyer, "")).Select(c => c.CaseId));
            await Problem(await theBuyer.GetAsync($"/cases?buyerId={others.BuyerId}"), HttpStatusCode.Forbidden);
        }
        using (var provider = Service.As("provider", "provider-7"))
        {
            await Problem(await provider.GetAsync("/cases"), HttpStatusCode.Forbidden);
        }

        foreach (var reader in new[] { Service.As("arbitrator", "arb-reader"), Service.As("customer-service", "cs-1") })
        {
            using (reader)
            {
                Assert.Equal([others.CaseId], (await ListCases(reader, $"merchantId={otherMerchant}")).Select(c => c.CaseId));
                Assert.Equal([mine[1].CaseId], (await ListCases(reader, $"orderId={mine[1].OrderId}")).Select(c => c.CaseId));
                Assert.Equal([mine[2].CaseId], (await ListCases(reader, $"claimId={mine[2].ClaimId}")).Select(c => c.CaseId));
                // A repair job's case disputes the claim the job served.
                Assert.Equal([repairCase.CaseId], (await ListCases(reader, $"claimId={repair.ClaimId}")).Select(c => c.CaseId));
                Assert.Equal([mine[0].CaseId], (await ListCases(reader, $"buyerId={buyer}&status=AwaitingRespondent")).Select(c => c.CaseId));
                Assert.Empty(await ListCases(reader, $"merchantId={merchant}&status=Ruled"));
                Assert.Contains(repairCase.CaseId, (await ListCases(reader, "respondentKind=PlatformRepairOperations")).Select(c => c.CaseId));
                Assert.DoesNotContain(mine[0].CaseId, (await ListCases(reader, "respondentKind=PlatformRepairOperations")).Select(c => c.CaseId));
                var assigned = await ListCases(reader, $"merchantId={merchant}&arbitrator={mine[0].ArbitratorId}");
                Assert.Contains(mine[0].CaseId, assigned.Select(c => c.CaseId));
                Assert.All(assigned, c => Assert.Equal(mine[0].ArbitratorId, c.ArbitratorId));
            }
        }
    }

    [Fact]
    public async Task Paging_returns_every_case_once_while_cases_open_between_pages()
    {
        var merchant = NewId("merchant");
        var before = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            before.Add((await Escalated(merchant)).CaseId);
        }
        var opened = new List<Guid>();
        async Task OpenAnother() => opened.Add((await Escalated(merchant)).CaseId);
        using var respondent = Service.As("merchant", merchant);
        using var arbitrator = Service.As("arbitrator", "arb-reader");

        var listed = (await ListCases(respondent, "limit=3", OpenAnother)).Select(c => c.CaseId).ToList();
        var arbitrators = (await ListCases(arbitrator, $"merchantId={merchant}&limit=4", OpenAnother)).Select(c => c.CaseId).ToList();

        foreach (var list in new[] { listed, arbitrators })
        {
            Assert.Equal(list.Count, list.Distinct().Count());
            Assert.All(before, id => Assert.Contains(id, list));
            Assert.All(list, id => Assert.True(before.Contains(id) || opened.Contains(id), $"{id} was never opened"));
        }
        // A case opens later than every case listed before it, so each one opened between pages is listed once.
        Assert.Equal(before.Concat(opened.Take(2)), listed);
        Assert.Equal(before.Concat(opened), (await ListCases(respondent, "limit=500")).Select(c => c.CaseId));
    }

    [Fact]
    public async Task Bad_filters_limits_and_cursors_are_400s_naming_the_field()
    {
        var merchant = NewId("merchant");
        await Escalated(merchant);
        await Escalated(merchant);
        using var respondent = Service.As("merchant", merchant);
        var first = await Read<Page<CaseListItem>>(await respondent.GetAsync("/cases?status=AwaitingRespondent&limit=1"));
        var cursor = Uri.EscapeDataString(first.NextCursor!);

        foreach (var (query, field) in new[]
        {
            ("status=Closed", "status"), ("respondentKind=Court", "respondentKind"), ("limit=0", "limit"),
            ($"limit={WorklistPaging.Default.MaxPageSize + 1}", "limit"), ("cursor=not-a-cursor", "cursor"),
            ($"cursor={cursor}", "cursor"), ($"status=Ruled&cursor={cursor}", "cursor"),
        })
        {
            var problem = await Problem(await respondent.GetAsync($"/cases?{query}"), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem.GetRawText()}");
        }
        await Problem(await respondent.GetAsync("/cases?claimId=not-a-guid"), HttpStatusCode.BadRequest);
        using (var arbitrator = Service.As("arbitrator", "arb-reader"))
        {
            // The cursor belongs to the merchant's list: another caller's list with the same filters refuses it.
            await Problem(await arbitrator.GetAsync($"/cases?status=AwaitingRespondent&cursor={cursor}"), HttpStatusCode.BadRequest);
        }
        var second = await Read<Page<CaseListItem>>(await respondent.GetAsync($"/cases?status=AwaitingRespondent&limit=1&cursor={cursor}"));
        Assert.NotEqual(first.Items.Single().CaseId, second.Items.Single().CaseId);
    }
}
