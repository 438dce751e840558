using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RepairDispatch.Service.Tests;

/// <summary>
/// A provider's webhook endpoint: Kestrel on HTTPS with a self-signed certificate made here, which the service
/// trusts only through RepairDispatch:Webhooks:TrustedCertificateFiles. It checks every delivery with the guide's
/// recipe (<see cref="PlatformWebhook"/>) against its own clock, answering 200 to a genuine one and 401 to any other.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly X509Certificate2 certificate;
    private readonly ConcurrentQueue<Received> received = new();
    private WebApplication? app;

    private WebhookReceiver(X509Certificate2 certificate) => this.certificate = certificate;

    /// <summary>A delivery as it arrived, and whether the recipe accepted it.</summary>
    public sealed record Received(string? Id, string? Timestamp, string? Signature, byte[] Body, bool Verified)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
        public string Type => Json.GetProperty("type").GetString()!;
        public Guid JobId => Json.GetProperty("jobId").GetGuid();
    }

    public int Port { get; private set; }

    public Uri Url => new($"https://127.0.0.1:{Port}/hooks");

    /// <summary>The secret the provider was shown; the receiver verifies with it.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How far the receiver's clock is ahead of real time: a replay arriving later than the tolerance.</summary>
    public TimeSpan ClockSkew { get; set; }

    public IReadOnlyList<Received> All => [.. received];

    public IReadOnlyList<Received> Verified => [.. received.Where(r => r.Verified)];

    public static async Task<WebhookReceiver> Start(X509Certificate2 certificate)
    {
        var receiver = new WebhookReceiver(certificate);
        await receiver.Up();
        return receiver;
    }

    /// <summary>Starts listening, on the port it had before if it had one: the registered URL stays right.</summary>
    public async Task Up()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port, l => l.UseHttps(certificate)));
        app = builder.Build();
        app.MapPost("/hooks", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var headers = http.Request.Headers;
            string? Header(string name) => headers.TryGetValue(name, out var value) ? value.ToString() : null;
            var (id, timestamp, signature) = (Header("Platform-Webhook-Id"), Header("Platform-Webhook-Timestamp"), Header("Platform-Webhook-Signature"));
            var verified = PlatformWebhook.Verify(Secret, timestamp, signature, body, DateTimeOffset.UtcNow + ClockSkew, Tolerance);
            received.Enqueue(new Received(id, timestamp, signature, body, verified));
            return verified ? Results.Ok() : Results.Unauthorized();
        });
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
    }

    /// <summary>Stops listening: connections to the port are refused until <see cref="Up"/>.</summary>
    public async Task Down()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    /// <summary>Sends a delivery it received once more, headers and body as they were: what an attacker who saw it could do.</summary>
    public async Task<HttpStatusCode> Replay(Received delivery)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(delivery.Body) };
        request.Headers.Add("Platform-Webhook-Id", delivery.Id);
        request.Headers.Add("Platform-Webhook-Timestamp", delivery.Timestamp);
        request.Headers.Add("Platform-Webhook-Signature", delivery.Signature);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync() => await Down();
}

/// <summary>The receivers' self-signed certificate (for 127.0.0.1 and localhost), and the PEM file the service is told to trust.</summary>
internal sealed class ReceiverCertificate : IDisposable
{
    private ReceiverCertificate(X509Certificate2 certificate, string file)
    {
        Certificate = certificate;
        File = file;
    }

    public X509Certificate2 Certificate { get; }

    public string File { get; }

    public static async Task<ReceiverCertificate> Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=webhook-receiver.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var file = Path.Combine(Path.GetTempPath(), $"webhook-receiver-{Guid.NewGuid():N}.pem");
        await System.IO.File.WriteAllTextAsync(file, made.ExportCertificatePem());
        return new ReceiverCertificate(X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null), file);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        System.IO.File.Delete(File);
    }
}

// The verification recipe of docs/integrating/webhooks.md, word for word (WebhookTests checks that it is).
// BEGIN GUIDE RECIPE
public static class PlatformWebhook
{
    /// <summary>True when the delivery was signed with <paramref name="secret"/> within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (signature is null || !long.TryParse(timestamp, out var sentAt) || Math.Abs(now.ToUnixTimeSeconds() - sentAt) > tolerance.TotalSeconds)
        {
            return false;
        }
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
    }
}
// END GUIDE RECIPE
