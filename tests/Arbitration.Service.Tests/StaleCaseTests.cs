using System.Net;
using Arbitration.Service.Cases;
using Arbitration.Service.Features.WatchStaleCases;
using Arbitration.Service.Views;
using Platform.Contracts.Arbitration.V1;
using Platform.Testing;

namespace Arbitration.Service.Tests;

/// <summary>
/// Cases left without a ruling, on a clock 100,000 times real time (7 days in 6 seconds), with a
/// respondent deadline set longer than that so no default ruling settles them first.
/// </summary>
public sealed class StaleCaseTests(LongDeadlineHost host) : ArbitrationTests<LongDeadlineHost>(host)
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(7);

    [Fact]
    public async Task A_case_without_a_ruling_for_seven_days_is_listed_for_operators_and_counted_until_it_is_ruled()
    {
        using var metrics = new MetricRecorder(Service.Services, ArbitrationMetrics.MeterName);
        var escalated = Messages.RepairJobEscalated();
        var caseId = CaseIds.ForRepairJob(escalated.JobId);
        using var operatorClient = Service.As("operator", "ops-1");

        await Probe.Publish(escalated);

        var opened = await Probe.WaitFor<CaseOpened>(m => m.CaseId == caseId, Timeout, "the case is opened");
        Assert.Equal(TimeSpan.FromDays(30), opened.RespondBy - opened.OpenedAt);
        Assert.Equal(1, metrics.Sum(ArbitrationMetrics.CasesOpenedName, "origin=RepairJobEscalated"));
        Assert.Equal(0, metrics.Observe(ArbitrationMetrics.StaleCasesName));
        Assert.DoesNotContain(await Read<List<StaleCase>>(await operatorClient.GetAsync("/operations/stale-cases")), c => c.CaseId == caseId);

        List<StaleCase> stale = [];
        await Eventually.Until(async () =>
        {
            stale = await Read<List<StaleCase>>(await operatorClient.GetAsync("/operations/stale-cases"));
            return stale.Any(c => c.CaseId == caseId);
        }, Timeout, "the case is listed as stale");
        var listed = Assert.Single(stale);
        Assert.True(listed.OpenFor > StaleAfter, $"open for {listed.OpenFor}");
        Assert.Equal((escalated.OrderId, "PlatformRepairOperations"), (listed.OrderId, listed.Respondent));
        Assert.Equal(1, metrics.Observe(ArbitrationMetrics.StaleCasesName));
        using (var arbitratorClient = Service.As("arbitrator", "arb-1"))
        {
            await Problem(await arbitratorClient.GetAsync("/operations/stale-cases"), HttpStatusCode.Forbidden);
        }

        await Read<CaseView>(await Post(operatorClient, $"/cases/{caseId}/evidence", new { statement = "Every provider was full." }));
        using var arbitrator = Service.As("arbitrator", listed.ArbitratorId!);
        await Read<CaseView>(await Post(arbitrator, $"/cases/{caseId}/ruling", new { inFavourOf = "Respondent", rationale = "The capacity shortage is documented." }));

        Assert.Empty(await Read<List<StaleCase>>(await operatorClient.GetAsync("/operations/stale-cases")));
        Assert.Equal(0, metrics.Observe(ArbitrationMetrics.StaleCasesName));
        Assert.Equal(1, metrics.Sum(ArbitrationMetrics.RulingsName, "in_favour_of=Respondent", "default=False"));
    }
}
