using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Platform.Console.Pages;

/// <summary>One thing a search found, and where to look at it.</summary>
public sealed record SearchHit(string Kind, string Title, string Detail, string Href);

/// <summary>
/// Search by an id (order, claim, job, case) or by a party (buyer, merchant, provider): every API that could know it
/// is asked as the signed-in party, and what answers is shown; what the role may not see is said, not hidden.
/// </summary>
public sealed class IndexModel(PlatformApi api, ConsoleSettings settings, Terms terms) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Party { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? PartyKind { get; set; }

    public List<SearchHit> Hits { get; } = [];

    public List<string> Unavailable { get; } = [];

    public bool Searched => !string.IsNullOrWhiteSpace(Id) || !string.IsNullOrWhiteSpace(Party);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Id))
        {
            await ById(Id.Trim(), ct);
        }
        if (!string.IsNullOrWhiteSpace(Party))
        {
            await ByParty(PartyKind ?? "buyer", Party.Trim(), ct);
        }
        return Page();
    }

    private async Task ById(string id, CancellationToken ct)
    {
        var escaped = Uri.EscapeDataString(id);
        if (Guid.TryParse(id, out var guid))
        {
            var claim = await api.Get(settings.Warranty, $"/claims/{guid}", ct);
            if (claim.Ok)
            {
                Hits.Add(new SearchHit("Claim 售后申请", $"{guid}", $"{terms.Label(claim.Str("status"))} · order {claim.Str("orderId")} line {claim.Str("lineId")}",
                    Timeline(claim.Str("orderId"), claim.Str("lineId"), $"claim-{guid}")));
            }
            var @case = await api.Get(settings.Arbitration, $"/cases/{guid}", ct);
            if (@case.Ok)
            {
                Hits.Add(new SearchHit("Case 仲裁", $"{guid}", $"{terms.Label(@case.Str("status"))} · order {@case.Str("orderId")} line {@case.Str("lineId")}",
                    Timeline(@case.Str("orderId"), @case.Str("lineId"), $"case-{guid}")));
            }
            var job = api.Session.Role == "provider"
                ? await api.Get(settings.RepairDispatch, $"/jobs/{guid}", ct)
                : await api.Get(settings.RepairDispatch, $"/operations/jobs/{guid}", ct);
            if (job.Ok)
            {
                Hits.Add(new SearchHit("Repair job 维修单", $"{guid}", $"{terms.Label(job.Str("status"))} · order {job.Str("orderId")} line {job.Str("lineId")}",
                    Timeline(job.Str("orderId"), job.Str("lineId"), $"job-{guid}")));
            }
            Note(claim, "claims");
            Note(@case, "cases");
            Note(job, "repair jobs");
            return;
        }
        var order = await api.Get(settings.Order, $"/orders/{escaped}", ct);
        if (order.Ok)
        {
            foreach (var line in order.Body.GetProperty("lines").EnumerateArray())
            {
                var lineId = line.GetProperty("lineId").GetString();
                Hits.Add(new SearchHit("Order line 订单行", $"{id} / {lineId}", $"{line.GetProperty("title").GetString()} · {terms.Label(order.Str("status"))}", Timeline(id, lineId, null)));
            }
            return;
        }
        // Arbitrators read cases, not orders: the order's cases lead to its lines.
        var cases = await api.All(settings.Arbitration, $"/cases?orderId={escaped}", ct);
        foreach (var c in cases.Items)
        {
            Hits.Add(CaseHit(c));
        }
        if (cases.Items.Count == 0)
        {
            Note(order, "orders");
        }
    }

    private async Task ByParty(string kind, string party, CancellationToken ct)
    {
        var escaped = Uri.EscapeDataString(party);
        switch (kind)
        {
            case "buyer":
                var files = await api.All(settings.Warranty, $"/warranties?buyerId={escaped}", ct);
                Hits.AddRange(files.Items.Select(f => new SearchHit("Warranty file 保修档案", $"{f.GetProperty("orderId").GetString()} / {f.GetProperty("lineId").GetString()}",
                    $"{f.GetProperty("title").GetString()} · entry closes {terms.Time(f.GetProperty("entryClosesAt"))}", Timeline(f.GetProperty("orderId").GetString(), f.GetProperty("lineId").GetString(), null))));
                Note(files.Failure, "buyers' warranty files");
                var buyerCases = await api.All(settings.Arbitration, $"/cases?buyerId={escaped}", ct);
                Hits.AddRange(buyerCases.Items.Select(CaseHit));
                Note(buyerCases.Failure, "buyers' cases");
                break;
            case "merchant":
                var claims = await api.All(settings.Warranty, $"/claims?merchantId={escaped}", ct);
                Hits.AddRange(claims.Items.Select(ClaimHit));
                Note(claims.Failure, "merchants' claims");
                var merchantCases = await api.All(settings.Arbitration, $"/cases?merchantId={escaped}", ct);
                Hits.AddRange(merchantCases.Items.Select(CaseHit));
                Note(merchantCases.Failure, "merchants' cases");
                break;
            case "provider":
                var card = await api.Get(settings.RepairDispatch, $"/providers/{escaped}/scorecard", ct);
                if (card.Ok)
                {
                    Hits.Add(new SearchHit("Provider 服务商", party, $"{terms.Label(card.Str("status"))} · quality score {card.Body.GetProperty("qualityScore").GetDouble():F1}", $"/providers#provider-{party}"));
                }
                Note(card, "providers");
                var jobs = api.Session.Role == "provider"
                    ? await api.All(settings.RepairDispatch, "/jobs", ct)
                    : await api.All(settings.RepairDispatch, $"/operations/jobs?providerId={escaped}", ct);
                Hits.AddRange(jobs.Items.Select(j => new SearchHit("Repair job 维修单", j.GetProperty("jobId").GetString()!,
                    $"in progress · callback by {terms.Time(j.GetProperty("deadlines").ValueKind == JsonValueKind.Object ? j.GetProperty("deadlines").GetProperty("callback") : j.GetProperty("callbackDeadline"))}",
                    Timeline(j.GetProperty("orderId").GetString(), j.GetProperty("lineId").GetString(), $"job-{j.GetProperty("jobId").GetString()}"))));
                Note(jobs.Failure, "providers' jobs");
                break;
            default:
                Unavailable.Add("Choose buyer, merchant or provider.");
                break;
        }
    }

    private SearchHit ClaimHit(JsonElement c) => new("Claim 售后申请", c.GetProperty("claimId").GetString()!,
        $"{terms.Label(c.GetProperty("status").GetString())} · order {c.GetProperty("orderId").GetString()}",
        Timeline(c.GetProperty("orderId").GetString(), c.GetProperty("lineId").GetString(), $"claim-{c.GetProperty("claimId").GetString()}"));

    private SearchHit CaseHit(JsonElement c) => new("Case 仲裁", c.GetProperty("caseId").GetString()!,
        $"{terms.Label(c.GetProperty("status").GetString())} · order {c.GetProperty("orderId").GetString()} line {c.GetProperty("lineId").GetString()}",
        Timeline(c.GetProperty("orderId").GetString(), c.GetProperty("lineId").GetString(), $"case-{c.GetProperty("caseId").GetString()}"));

    private static string Timeline(string? orderId, string? lineId, string? anchor) =>
        $"/timeline/{Uri.EscapeDataString(orderId ?? "")}/{Uri.EscapeDataString(lineId ?? "")}{(anchor is null ? "" : "#" + anchor)}";

    private void Note(ApiAnswer? answer, string what)
    {
        if (answer is { Ok: false, Status: not 404 })
        {
            Unavailable.Add($"{what}: {Terms.Explain(answer)}");
        }
    }
}
