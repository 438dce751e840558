using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace RepairDispatch.Service.Features.BuyerContact;

/// <summary>A virtual number bound to the buyer's phone: calls to <paramref name="Number"/> reach the buyer until it is released.</summary>
public sealed record VirtualNumber(string BindingId, string Number);

/// <summary>
/// A virtual-number (number masking) vendor: it binds a number of its own to the buyer's phone for one provider's
/// attempt on a job, and releases it when the job leaves that provider.
/// </summary>
public interface IVirtualNumbers
{
    /// <param name="key">The same key binds the same number again, so a retried request leaves no second binding behind.</param>
    Task<VirtualNumber> Bind(string key, string buyerPhone, CancellationToken ct);

    /// <summary>Releasing a binding already released does nothing.</summary>
    Task Release(string bindingId, CancellationToken ct);
}

/// <summary>
/// The demo's and tests' vendor, in the service's process (RepairDispatch__VirtualNumbers__Provider=Simulated): numbers
/// from a reserved-looking range, bound and released in memory, reaching no telephone.
/// </summary>
public sealed class SimulatedVirtualNumbers : IVirtualNumbers
{
    private readonly ConcurrentDictionary<string, VirtualNumber> byKey = new(StringComparer.Ordinal);
    private long issued;

    public Task<VirtualNumber> Bind(string key, string buyerPhone, CancellationToken ct) =>
        Task.FromResult(byKey.GetOrAdd(key, k => new VirtualNumber(k, $"+86170{Interlocked.Increment(ref issued):D8}")));

    public Task Release(string bindingId, CancellationToken ct)
    {
        byKey.TryRemove(bindingId, out _);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A vendor over HTTP (RepairDispatch__VirtualNumbers__Provider=Http, __Url, __ApiKey): <c>POST {Url}/bindings</c> with
/// <c>{key, phone}</c> answers <c>{bindingId, number}</c>; <c>DELETE {Url}/bindings/{bindingId}</c> releases it (404: already released).
/// </summary>
public sealed class HttpVirtualNumbers(HttpClient http) : IVirtualNumbers
{
    private sealed record BindRequest(string Key, string Phone);

    public async Task<VirtualNumber> Bind(string key, string buyerPhone, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("bindings", new BindRequest(key, buyerPhone), ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<VirtualNumber>(ct) is { BindingId.Length: > 0, Number.Length: > 0 } number
            ? number
            : throw new InvalidOperationException("The virtual-number vendor answered a binding without its id or number.");
    }

    public async Task Release(string bindingId, CancellationToken ct)
    {
        using var response = await http.DeleteAsync($"bindings/{Uri.EscapeDataString(bindingId)}", ct);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public static void Configure(HttpClient http, RepairDispatchSettings.VirtualNumberSettings settings)
    {
        http.BaseAddress = new Uri(settings.Url!.TrimEnd('/') + "/");
        http.Timeout = settings.Timeout;
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        }
    }
}
