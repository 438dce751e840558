using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Platform.Console.Pages;

/// <summary>What one service reports to operators: its health with the outbox and scheduler lags, its dead letters and its refusals.</summary>
public sealed record ServiceOperations(PlatformService Service, ApiAnswer Health, ApiAnswer DeadLetters, ApiAnswer Refusals);

/// <summary>
/// The plumbing for operators: each service's dead-letter queues with each message's reason (and moving them
/// back, as `platform errors move` does), the messages it refused with their reasons, the outbox's and the
/// scheduler's lag from its health report, and Arbitration's stale cases.
/// </summary>
public sealed class OperationsModel(PlatformApi api, ConsoleSettings settings) : PageModel
{
    public List<ServiceOperations> Services { get; } = [];
    public ApiAnswer StaleCases { get; private set; } = ApiAnswer.NoToken;
    public string? Notice { get; private set; }
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMove(string service, string queue, string key, CancellationToken ct)
    {
        var target = settings.Services.FirstOrDefault(s => s.Name == service);
        if (target is null)
        {
            Refusal = $"No service {service}.";
        }
        else
        {
            var answer = await api.Post(target, $"/operations/dead-letters/{Uri.EscapeDataString(queue)}/move", null, key, ct);
            Notice = answer.Ok ? $"Moved {answer.Body.S("moved")} message(s) from {queue} back to {answer.Body.S("movedTo")}." : null;
            Refusal = answer.Ok ? null : Terms.Explain(answer);
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        foreach (var service in settings.Services)
        {
            Services.Add(new ServiceOperations(service,
                await api.Get(service, "/health", ct),
                await api.Get(service, "/operations/dead-letters?sample=5", ct),
                await api.Get(service, "/operations/refusals?limit=20", ct)));
        }
        StaleCases = await api.Get(settings.Arbitration, "/operations/stale-cases?limit=20", ct);
    }
}
