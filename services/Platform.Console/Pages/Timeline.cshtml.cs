using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Platform.Console.Pages;

/// <summary>One bar of the coverage calendar: a promise and the days it runs.</summary>
public sealed record CalendarBar(string Label, DateTimeOffset From, DateTimeOffset Until, string FirstDay, string LastDay, string Css);

/// <summary>
/// Everything the platform holds about one order line, in time order: the trade events, the coverages as bars
/// on a calendar, each claim with its decision, each repair attempt with its callback window, each case with its
/// respondent's window and ruling. Each part is read from its own service as the signed-in party; a part the role
/// may not see says so. Customer service may file a claim or a reopen request here, an arbitrator may rule.
/// </summary>
public sealed class TimelineModel(PlatformApi api, ConsoleSettings settings) : PageModel
{
    public string OrderId { get; private set; } = "";
    public string LineId { get; private set; } = "";
    public ApiAnswer Order { get; private set; } = ApiAnswer.NoToken;
    public ApiAnswer WarrantyFile { get; private set; } = ApiAnswer.NoToken;
    public List<JsonElement> Claims { get; } = [];
    public List<JsonElement> Cases { get; } = [];
    public List<JsonElement> Jobs { get; } = [];
    public ApiAnswer? JobsRefused { get; private set; }
    public ApiAnswer? CasesRefused { get; private set; }
    public List<CalendarBar> Bars { get; } = [];
    public string? Notice { get; private set; }
    public string? Refusal { get; private set; }

    public string Role => api.Session.Role;

    public async Task<IActionResult> OnGet(string orderId, string lineId, CancellationToken ct)
    {
        await Load(orderId, lineId, ct);
        return Page();
    }

    /// <summary>Customer service files a claim for the order's buyer.</summary>
    public async Task<IActionResult> OnPostFileClaim(string orderId, string lineId, string buyerId, string fault, string remedyAsked, string faultDescription, string key, CancellationToken ct)
    {
        var answer = await api.Post(settings.Warranty, "/claims", new { orderId, lineId, buyerId, fault, remedyAsked, faultDescription }, key, ct);
        return await After(orderId, lineId, answer, a => a.Prop("approval") is { } approval
            ? $"Claim filed and approved: {approval.S("remedyGranted")} under {approval.S("coverage")}."
            : $"Claim filed and rejected: {a.Prop("rejection")?.S("reason")}.", ct);
    }

    /// <summary>Customer service asks for the buyer's after-sales entry to be reopened.</summary>
    public async Task<IActionResult> OnPostReopen(string orderId, string lineId, string buyerId, string fault, string faultDescription, string key, CancellationToken ct)
    {
        var answer = await api.Post(settings.Warranty, $"/warranties/{Uri.EscapeDataString(orderId)}/{Uri.EscapeDataString(lineId)}/reopen",
            new { buyerId, fault, faultDescription }, key, ct);
        return await After(orderId, lineId, answer, a => $"Reopen request {a.S("outcome")}{(a.S("reason") is { } reason ? ": " + reason : "")}.", ct);
    }

    /// <summary>An arbitrator rules on a case.</summary>
    public async Task<IActionResult> OnPostRule(string orderId, string lineId, Guid caseId, string inFavourOf, string? remedy, decimal? amount, string rationale, string key, CancellationToken ct)
    {
        var answer = await api.Post(settings.Arbitration, $"/cases/{caseId}/ruling",
            new { inFavourOf, remedy = inFavourOf == "Buyer" ? remedy : null, amount = remedy == "Compensation" ? amount : null, rationale }, key, ct);
        return await After(orderId, lineId, answer, _ => $"Ruled for the {inFavourOf.ToLowerInvariant()}.", ct);
    }

    private async Task<IActionResult> After(string orderId, string lineId, ApiAnswer answer, Func<JsonElement, string> success, CancellationToken ct)
    {
        if (answer.Ok)
        {
            Notice = success(answer.Body);
        }
        else
        {
            Refusal = Terms.Explain(answer);
        }
        await Load(orderId, lineId, ct);
        return Page();
    }

    private async Task Load(string orderId, string lineId, CancellationToken ct)
    {
        OrderId = orderId;
        LineId = lineId;
        var order = Uri.EscapeDataString(orderId);
        var line = Uri.EscapeDataString(lineId);
        var orderTask = api.Get(settings.Order, $"/orders/{order}", ct);
        var fileTask = api.Get(settings.Warranty, $"/warranties/{order}/{line}", ct);
        var casesTask = api.All(settings.Arbitration, $"/cases?orderId={order}", ct);
        Order = await orderTask;
        WarrantyFile = await fileTask;
        if (WarrantyFile.Ok)
        {
            foreach (var summary in WarrantyFile.Body.Each("claims"))
            {
                var claim = await api.Get(settings.Warranty, $"/claims/{summary.S("claimId")}", ct);
                if (claim.Ok)
                {
                    Claims.Add(claim.Body);
                }
            }
            Calendar(WarrantyFile.Body);
        }
        var cases = await casesTask;
        CasesRefused = cases.Failure is { Ok: false } failure ? failure : null;
        foreach (var item in cases.Items.Where(c => c.S("lineId") == lineId))
        {
            var full = await api.Get(settings.Arbitration, $"/cases/{item.S("caseId")}", ct);
            Cases.Add(full.Ok ? full.Body : item);
        }
        await LoadJobs(order, lineId, ct);
    }

    private async Task LoadJobs(string order, string lineId, CancellationToken ct)
    {
        var mine = Role == "provider";
        foreach (var status in new[] { "InProgress", "Completed", "Escalated" })
        {
            var list = await api.All(settings.RepairDispatch, mine ? $"/jobs?orderId={order}&status={status}" : $"/operations/jobs?orderId={order}&status={status}", ct);
            if (list.Failure is { } failure)
            {
                JobsRefused = failure;
                return;
            }
            foreach (var job in list.Items.Where(j => j.S("lineId") == lineId))
            {
                if (mine)
                {
                    Jobs.Add(job);
                    continue;
                }
                var history = await api.Get(settings.RepairDispatch, $"/operations/jobs/{job.S("jobId")}", ct);
                Jobs.Add(history.Ok ? history.Body : job);
            }
        }
    }

    private void Calendar(JsonElement file)
    {
        foreach (var coverage in file.Each("coverages"))
        {
            Add(coverage.S("kind"), coverage.Prop("period"), "coverage");
        }
        if (file.Prop("afterSalesEntry") is { } entry)
        {
            Add(entry.True("afterSalesProtectionApplied") ? "Entry+Protection" : "Entry", entry.Prop("window"), "entry");
            foreach (var reopening in entry.Each("reopenings"))
            {
                Add("Reopening", reopening, "reopening");
            }
        }
        Add("LongDiscovery", file.Prop("longDiscoveryWindow"), "coverage");
        if (file.Prop("extendedWarranty") is { } plan && !Bars.Any(b => b.Label == "ExtendedWarranty"))
        {
            Add("ExtendedWarranty", plan.Prop("period"), plan.Prop("cancellation") is null ? "coverage" : "cancelled");
        }
    }

    private void Add(string? label, JsonElement? period, string css)
    {
        if (label is null || period is not { } p || p.At("startsAt") is not { } from || p.At("endsBefore") is not { } until)
        {
            return;
        }
        Bars.Add(new CalendarBar(label, from, until, p.S("firstDay") ?? "", p.S("lastDay") ?? "", css));
    }
}
