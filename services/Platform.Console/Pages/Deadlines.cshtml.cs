using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Platform.Console.Pages;

/// <summary>One thing waiting for someone, and by when.</summary>
public sealed record Waiting(string Id, string What, DateTimeOffset Deadline, string Href);

/// <summary>One list of the board: what the API listed, in deadline order, or why it did not.</summary>
public sealed record BoardList(string Key, string Title, IReadOnlyList<Waiting> Items, ApiAnswer? Refused, bool Truncated);

/// <summary>
/// What is about to run out: claims awaiting a merchant (48 h), jobs awaiting a provider's call (24 h), cases
/// awaiting a respondent (72 h), each from its service's worklist as the signed-in party sees it, soonest first.
/// The counts are the worklists' own, every page read; the page refreshes the board by polling.
/// </summary>
public sealed class DeadlinesModel(PlatformApi api, ConsoleSettings settings) : PageModel
{
    public List<BoardList> Lists { get; } = [];

    public int RefreshSeconds => (int)settings.BoardRefresh.TotalSeconds;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        return Page();
    }

    /// <summary>The board alone, for the page's polling.</summary>
    public async Task<IActionResult> OnGetBoard(CancellationToken ct)
    {
        await Load(ct);
        return Partial("_Board", this);
    }

    private async Task Load(CancellationToken ct)
    {
        var claims = await api.All(settings.Warranty, "/claims?status=AwaitingMerchant", ct);
        Lists.Add(List("claims", "售后待商家处理 Claims awaiting a merchant (48 h)", claims, c => new Waiting(
            c.S("claimId")!, $"order {c.S("orderId")} line {c.S("lineId")} · merchant {c.S("merchantId")}", c.At("respondBy") ?? DateTimeOffset.MaxValue,
            $"/timeline/{Uri.EscapeDataString(c.S("orderId")!)}/{Uri.EscapeDataString(c.S("lineId")!)}#claim-{c.S("claimId")}")));

        var jobs = api.Session.Role == "provider"
            ? await api.All(settings.RepairDispatch, "/jobs?awaitingCallback=true", ct)
            : await api.All(settings.RepairDispatch, "/operations/jobs?awaitingCallback=true", ct);
        Lists.Add(List("jobs", "维修单待回访 Jobs awaiting a callback (24 h)", jobs, j => new Waiting(
            j.S("jobId")!, $"order {j.S("orderId")} line {j.S("lineId")} · provider {j.S("providerId") ?? api.Session.Party} · attempt {j.S("attempt")}",
            j.At("callbackDeadline") ?? j.Prop("deadlines")?.At("callback") ?? DateTimeOffset.MaxValue,
            $"/timeline/{Uri.EscapeDataString(j.S("orderId")!)}/{Uri.EscapeDataString(j.S("lineId")!)}#job-{j.S("jobId")}")));

        var cases = await api.All(settings.Arbitration, "/cases?status=AwaitingRespondent", ct);
        Lists.Add(List("cases", "仲裁待答复 Cases awaiting a respondent (72 h)", cases, c => new Waiting(
            c.S("caseId")!, $"order {c.S("orderId")} line {c.S("lineId")} · respondent {c.S("respondentId") ?? c.S("respondent")}", c.At("respondBy") ?? DateTimeOffset.MaxValue,
            $"/timeline/{Uri.EscapeDataString(c.S("orderId")!)}/{Uri.EscapeDataString(c.S("lineId")!)}#case-{c.S("caseId")}")));
    }

    private static BoardList List(string key, string title, WorklistAnswer answer, Func<JsonElement, Waiting> item) =>
        new(key, title, [.. answer.Items.Select(item).OrderBy(w => w.Deadline)], answer.Failure, answer.Truncated);
}
