using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Platform.Console.Pages;

/// <summary>A provider's scorecard, and its breaches counted per week over the chart's weeks, oldest first.</summary>
public sealed record ProviderRow(string ProviderId, JsonElement Scorecard, int[] BreachesPerWeek, int OpenJobs, ApiAnswer? BreachesRefused);

/// <summary>
/// Providers as operators watch them (a provider sees its own): the scorecard with the quality score, callback
/// breaches over the last weeks as a chart, and whether it is suspended; operators suspend and reactivate here.
/// </summary>
public sealed class ProvidersModel(PlatformApi api, ConsoleSettings settings, Terms terms) : PageModel
{
    public const int Weeks = 12;

    public List<ProviderRow> Rows { get; } = [];
    public ApiAnswer? Refused { get; private set; }
    public string? Notice { get; private set; }
    public string? Refusal { get; private set; }
    public bool MayManage => api.Session.Role == "operator";

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSuspend(string providerId, string reason, string key, CancellationToken ct) =>
        await After(await api.Post(settings.RepairDispatch, $"/providers/{Uri.EscapeDataString(providerId)}/suspend", new { reason }, key, ct), $"{providerId} suspended.", ct);

    public async Task<IActionResult> OnPostReactivate(string providerId, string key, CancellationToken ct) =>
        await After(await api.Post(settings.RepairDispatch, $"/providers/{Uri.EscapeDataString(providerId)}/reactivate", null, key, ct), $"{providerId} reactivated.", ct);

    private async Task<IActionResult> After(ApiAnswer answer, string success, CancellationToken ct)
    {
        Notice = answer.Ok ? success : null;
        Refusal = answer.Ok ? null : Terms.Explain(answer);
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        var ids = new List<(string Id, int OpenJobs)>();
        if (api.Session.Role == "provider")
        {
            ids.Add((api.Session.Party, 0));
        }
        else
        {
            var list = await api.Get(settings.RepairDispatch, "/providers", ct);
            if (!list.Ok)
            {
                Refused = list;
                return;
            }
            ids.AddRange(list.Body.EnumerateArray().Select(p => (p.S("providerId")!, p.Prop("openJobs")?.GetInt32() ?? 0)));
        }
        var rows = new System.Collections.Concurrent.ConcurrentBag<ProviderRow>();
        ApiAnswer? refused = null;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (provider, token) =>
        {
            var escaped = Uri.EscapeDataString(provider.Id);
            var card = await api.Get(settings.RepairDispatch, $"/providers/{escaped}/scorecard", token);
            if (!card.Ok)
            {
                refused = card;
                return;
            }
            var perWeek = new int[Weeks];
            // Only a provider with breaches has any to chart: one call fewer for every other.
            var breaches = card.Body.Prop("breaches")?.GetInt32() > 0 ? await api.Get(settings.RepairDispatch, $"/providers/{escaped}/breaches", token) : null;
            foreach (var breach in breaches is { Ok: true } ? breaches.Body.EnumerateArray() : [])
            {
                var weeksAgo = (int)Math.Floor((terms.Now - (breach.At("breachedAt") ?? terms.Now)).TotalDays / 7);
                if (weeksAgo is >= 0 and < Weeks)
                {
                    perWeek[Weeks - 1 - weeksAgo]++;
                }
            }
            rows.Add(new ProviderRow(provider.Id, card.Body, perWeek, provider.OpenJobs, breaches is { Ok: false } ? breaches : null));
        });
        Refused ??= refused;
        // The providers most in trouble first: the most breaches, then the most jobs.
        Rows.AddRange(rows.OrderByDescending(r => r.Scorecard.Prop("breaches")?.GetInt32() ?? 0)
            .ThenByDescending(r => r.Scorecard.Prop("jobsDispatched")?.GetInt32() ?? 0).ThenBy(r => r.ProviderId, StringComparer.Ordinal));
    }
}
