using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>The certificate and key (PEM files) of the providers' HTTPS endpoint; RepairDispatch is told to trust the certificate.</summary>
public sealed record WebhookOptions(string CertificateFile, string KeyFile);

/// <summary>What the providers' endpoint received of this run's jobs, and what the providers' delivery logs say was delivered.</summary>
/// <param name="ReceivedTwice">Deliveries that came again after being acknowledged: none should.</param>
public sealed record WebhookFigures(int Received, int Dispatched, int RedispatchedAway, int Cancelled, int ReceivedTwice, int Rejected, int DeliveredInLogs);

/// <summary>
/// The repair providers' webhook endpoint: one small HTTPS listener, a path per provider. Every delivery is checked
/// as docs/integrating/webhooks.md says a receiver should (the signature with the provider's secret, the timestamp
/// within five minutes); a genuine one is acknowledged at once and counted by its delivery id, and a dispatch is
/// handed to the provider's conduct.
/// </summary>
public sealed class ProviderWebhooks : IAsyncDisposable
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Delivery> received = new();
    private int rejected;

    private ProviderWebhooks(WebApplication app) => this.app = app;

    /// <summary>One delivery the endpoint accepted, and how many times it came.</summary>
    public sealed record Delivery(string Type, Guid JobId, string ProviderId)
    {
        public int Times;
    }

    public IReadOnlyCollection<Delivery> Received => [.. received.Values];

    /// <summary>Deliveries refused: a bad signature, or a timestamp out of tolerance.</summary>
    public int Rejected => rejected;

    /// <summary>Where a dispatch goes once its delivery is verified.</summary>
    public Action<string, RepairJobDispatched>? Dispatched { get; set; }

    public Uri Address { get; private set; } = null!;

    public static async Task<ProviderWebhooks> Start(WebhookOptions options)
    {
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificateFile, options.KeyFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var webhooks = new ProviderWebhooks(builder.Build());
        webhooks.app.MapPost("/providers/{id}/hooks", (string id, HttpContext http) => webhooks.Receive(id, http));
        await webhooks.app.StartAsync();
        webhooks.Address = new Uri(webhooks.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return webhooks;
    }

    /// <summary>Registers each provider's endpoint as the provider itself, and keeps the secret it is shown.</summary>
    public async Task Register(World world, IEnumerable<SimulatedProvider> providers, CancellationToken ct)
    {
        var api = world.Apis.RepairDispatch;
        foreach (var provider in providers)
        {
            var url = new Uri(Address, $"/providers/{provider.Id}/hooks");
            var registered = await api.Put($"/providers/{provider.Id}/webhook", PlatformRoles.Provider, provider.Id, new { url }, ct);
            // Registered before (a run repeated with the same id): the secret is not shown again, so it is rotated.
            var shown = registered.Status == HttpStatusCode.Created ? registered
                : registered.IsSuccess ? await api.Expect($"/providers/{provider.Id}/webhook/secret", PlatformRoles.Provider, provider.Id, null, ct)
                : throw new UnexpectedAnswerException($"registering the webhook of {provider.Id}: {registered}");
            secrets[provider.Id] = shown.Body.Text("secret") ?? throw new UnexpectedAnswerException($"no secret for {provider.Id}'s webhook: {shown}");
        }
    }

    /// <summary>
    /// Waits until no delivery of the run's jobs is pending in the providers' logs (read as each provider), then counts
    /// what the endpoint received against what the logs say was delivered.
    /// </summary>
    public async Task<WebhookFigures> Figures(World world, IReadOnlyCollection<Guid> jobs, CancellationToken ct)
    {
        var ours = jobs.ToHashSet();
        async Task<List<JsonElement>> Log(SimulatedProvider provider, string status, CancellationToken c)
        {
            var (answer, items) = await world.Apis.RepairDispatch.GetAll($"/providers/{provider.Id}/webhook/deliveries?status={status}&limit=500",
                PlatformRoles.Provider, provider.Id, c);
            return answer.Status == HttpStatusCode.OK
                ? [.. items.Where(d => d.Id("jobId") is { } job && ours.Contains(job))]
                : throw new UnexpectedAnswerException($"reading the delivery log of {provider.Id}: {answer}");
        }
        await world.Until("every webhook delivery of the run's jobs to be delivered", async c =>
        {
            foreach (var provider in world.Plan.Providers)
            {
                if ((await Log(provider, "Pending", c)).Count > 0)
                {
                    return false;
                }
            }
            return true;
        }, ct);
        var delivered = 0;
        foreach (var provider in world.Plan.Providers)
        {
            delivered += (await Log(provider, "Delivered", ct)).Count;
        }
        var got = received.Values.Where(d => ours.Contains(d.JobId)).ToList();
        return new WebhookFigures(got.Count, got.Count(d => d.Type == "job.dispatched"), got.Count(d => d.Type == "job.redispatched-away"),
            got.Count(d => d.Type == "job.cancelled"), got.Count(d => d.Times > 1), Rejected, delivered);
    }

    private async Task<IResult> Receive(string providerId, HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        string? Header(string name) => http.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        if (!secrets.TryGetValue(providerId, out var secret)
            || !Verify(secret, Header("Platform-Webhook-Timestamp"), Header("Platform-Webhook-Signature"), body, DateTimeOffset.UtcNow, Tolerance))
        {
            Interlocked.Increment(ref rejected);
            return Results.Unauthorized();
        }
        var delivery = JsonSerializer.Deserialize<JsonElement>(body);
        var id = delivery.GetProperty("id").GetGuid();
        var type = delivery.GetProperty("type").GetString()!;
        var first = received.GetOrAdd(id, _ => new Delivery(type, delivery.GetProperty("jobId").GetGuid(), providerId));
        if (Interlocked.Increment(ref first.Times) == 1 && type == "job.dispatched")
        {
            Dispatched?.Invoke(providerId, delivery.GetProperty("data").Deserialize<RepairJobDispatched>(Json)!);
        }
        return Results.Ok();
    }

    /// <summary>The recipe of docs/integrating/webhooks.md.</summary>
    private static bool Verify(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (signature is null || !long.TryParse(timestamp, CultureInfo.InvariantCulture, out var sentAt) || Math.Abs(now.ToUnixTimeSeconds() - sentAt) > tolerance.TotalSeconds)
        {
            return false;
        }
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
