using System.Net;
using System.Text.Json;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>
/// The summary, from the services' own APIs: the run knows which ids are its own, and asks each service what
/// became of them. None of its own counters is used.
/// </summary>
public static class Readback
{
    private const int InParallel = 8;
    private static readonly string[] CaseStatuses = ["AwaitingRespondent", "AwaitingRuling", "Ruled"];

    /// <param name="underFaults">The run broke the services on purpose; see <see cref="Expectations.For"/>.</param>
    public static async Task<SimulationSummary> Read(World world, Customers customers, RepairProviders providers, TimeSpan elapsed, TimeSpan business,
        bool underFaults, CancellationToken ct)
    {
        var plan = world.Plan;
        var apis = world.Apis;
        var staff = world.CustomerServiceAgent;
        var problems = new List<string>(world.Problems);

        var orders = await Each(plan.Orders, o => $"order {o.OrderId}", o => apis.Order.Get($"/orders/{o.OrderId}", PlatformRoles.CustomerService, staff, ct));
        var lines = plan.Orders.SelectMany(o => o.Lines.Select(l => (Order: o, Line: l))).ToList();
        var warranties = await Each(lines, l => $"warranty {l.Order.OrderId}/{l.Line.LineId}",
            l => apis.Warranty.Get($"/warranties/{l.Order.OrderId}/{l.Line.LineId}", PlatformRoles.CustomerService, staff, ct));
        var claimIds = customers.Claims.Keys.ToList();
        var claims = await Each(claimIds, id => $"claim {id}", id => apis.Warranty.Get($"/claims/{id}", PlatformRoles.CustomerService, staff, ct));
        var jobs = await Each(providers.Jobs.ToList(), j => $"job {j.Key} as {j.Value.ProviderId}",
            j => apis.RepairDispatch.Get($"/jobs/{j.Key}", PlatformRoles.Provider, j.Value.ProviderId, ct));
        // Per provider, so they also count any job of an earlier, interrupted run that this run's providers served.
        var scorecards = await Each(plan.Providers, p => $"the scorecard of {p.Id}",
            p => apis.RepairDispatch.Get($"/providers/{p.Id}/scorecard", PlatformRoles.Operator, world.Operator, ct));

        // Cases: those listed under each status for this run's orders, and those the claims were resolved by.
        var prefix = $"sim-{plan.RunId}-";
        var caseIds = new HashSet<Guid>();
        foreach (var status in CaseStatuses)
        {
            var listed = await apis.Arbitration.GetAll($"/cases?status={status}&limit=500", PlatformRoles.Arbitrator, World.UnassignedArbitrator, ct);
            caseIds.UnionWith(listed.Items.Where(r => r.Text("orderId")?.StartsWith(prefix, StringComparison.Ordinal) == true)
                .Select(r => r.Id("caseId")).OfType<Guid>());
        }
        caseIds.UnionWith(claims.SelectMany(c => c.Answer.Body.Child("history").Items()).Select(h => h.Id("caseId")).OfType<Guid>());
        var cases = await Each(caseIds.ToList(), id => $"case {id}", id => apis.Arbitration.Get($"/cases/{id}", PlatformRoles.Arbitrator, World.UnassignedArbitrator, ct));

        List<JsonElement> Found(IReadOnlyList<(string What, Answer Answer)> answers)
        {
            foreach (var (what, answer) in answers.Where(a => a.Answer.Status != HttpStatusCode.OK))
            {
                problems.Add($"reading {what}: {answer}");
            }
            return [.. answers.Where(a => a.Answer.Status == HttpStatusCode.OK).Select(a => a.Answer.Body)];
        }

        var orderViews = Found(orders);
        var completed = orderViews.Where(o => o.Text("status") == "Completed").ToList();
        var warrantyViews = Found(warranties);
        var claimViews = Found(claims);
        var jobViews = Found(jobs);
        var cardViews = Found(scorecards);
        var caseViews = Found(cases);
        var rulings = caseViews.Where(c => c.Text("status") == "Ruled").Select(c => c.Child("ruling")).ToList();
        var refunds = warrantyViews.SelectMany(w => w.Child("payments").Items()).ToList();
        var compensations = caseViews.Select(c => c.Child("compensation")).Where(c => c.ValueKind == JsonValueKind.Object).ToList();

        var webhooks = providers.Webhooks is { } endpoint ? await endpoint.Figures(world, [.. providers.Jobs.Keys], ct) : null;
        var summary = new SimulationSummary
        {
            Webhooks = webhooks,
            RunId = plan.RunId,
            Elapsed = elapsed,
            BusinessTime = business,
            Orders = plan.Orders.Count,
            OrdersCompleted = completed.Count,
            CompletedByBuyer = completed.Count(o => o.Child("completion").Text("confirmedBy") == "Buyer"),
            CompletedBySystem = completed.Count(o => o.Child("completion").Text("confirmedBy") == "System"),
            Warranties = warrantyViews.Count,
            ClaimsFiled = claimViews.Count,
            ClaimsByOutcome = claimViews.GroupBy(OutcomeOf).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            AcceptedBySilence = claimViews.Count(c => c.Child("history").Items().Any(h => h.Text("event") == "ClaimAcceptedByMerchant" && h.Flag("bySilence"))),
            EntriesReopened = warrantyViews.Sum(w => w.Child("afterSalesEntry").Child("reopenings").Items().Count()),
            ExtendedWarrantiesCancelled = warrantyViews.Count(w => w.Child("extendedWarranty").Child("cancellation").ValueKind == JsonValueKind.Object),
            RepairJobs = jobViews.Count,
            JobsDispatched = jobViews.Sum(j => j.Int("attempt")),
            OnTimeCallbacks = cardViews.Sum(c => c.Int("onTimeCallbacks")),
            SlaBreaches = cardViews.Sum(c => c.Int("breaches")),
            Redispatches = jobViews.Sum(j => j.Int("attempt") - 1),
            Escalations = jobViews.Count(j => j.Text("status") == "Escalated"),
            JobsCompleted = jobViews.Count(j => j.Text("status") == "Completed"),
            Cases = caseViews.Count,
            Rulings = rulings.Count,
            DefaultRulings = rulings.Count(r => r.Flag("defaultRuling")),
            ArbitratorRulings = rulings.Count(r => !r.Flag("defaultRuling")),
            RefundsInstructed = refunds.Count,
            RefundsPaid = refunds.Count(r => r.Text("status") == "Paid"),
            RefundFen = Fen(refunds),
            CompensationsInstructed = compensations.Count,
            CompensationsPaid = compensations.Count(c => c.Text("status") == "Paid"),
            CompensationFen = Fen(compensations),
            Checks = [],
            Problems = [],
            OrderIds = [.. plan.Orders.Select(o => o.OrderId)],
            ClaimIds = claimIds,
            CaseIds = [.. caseIds],
            ProviderIds = [.. plan.Providers.Select(p => p.Id)],
        };
        return summary with { Checks = Expectations.For(plan, summary, underFaults), Problems = [.. problems] };
    }

    private static int Fen(IEnumerable<JsonElement> payments) => (int)(payments.Sum(p => p.Amount("amount")) * 100);

    private static string OutcomeOf(JsonElement claim) => claim.Text("status") switch
    {
        "Rejected" => $"Rejected: {claim.Child("rejection").Text("reason")}",
        "Resolved" => $"Resolved: {claim.Text("resolution")}",
        var open => $"Open: {open}",
    };

    private static async Task<IReadOnlyList<(string What, Answer Answer)>> Each<T>(IReadOnlyCollection<T> items, Func<T, string> what, Func<T, Task<Answer>> read)
    {
        using var gate = new SemaphoreSlim(InParallel);
        var answers = await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return (what(item), await read(item));
            }
            finally
            {
                gate.Release();
            }
        }));
        return answers;
    }
}
