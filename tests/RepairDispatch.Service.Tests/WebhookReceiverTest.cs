using System.Net;
using System.Net.Http.Json;
using Platform.Testing;
using RepairDispatch.Service.Features.Webhooks;

namespace RepairDispatch.Service.Tests;

/// <summary>The service beside one HTTPS receiver whose certificate it trusts; each class gives the webhook settings it tests.</summary>
public abstract class WebhookReceiverTest(params string[] webhookSettings) : IAsyncLifetime
{
    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private ReceiverCertificate certificate = null!;

    private protected RunningService Service { get; private set; } = null!;
    private protected BusProbe Probe { get; private set; } = null!;
    private protected WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        certificate = await ReceiverCertificate.Create();
        Receiver = await WebhookReceiver.Start(certificate.Certificate);
        env = await TestEnvironment.Create();
        Service = await Repair.Start(env, consumed, [$"--RepairDispatch:Webhooks:TrustedCertificateFiles:0={certificate.File}", .. webhookSettings]);
        Probe = await BusProbe.Start(env);
    }

    public async Task DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Service.DisposeAsync();
        await env.DisposeAsync();
        await Receiver.DisposeAsync();
        certificate.Dispose();
    }

    /// <summary>Registers <paramref name="url"/> as the provider's webhook; the receiver checks signatures with the secret shown.</summary>
    private protected async Task Register(HttpClient provider, string providerId, Uri url)
    {
        using var registered = await provider.PutAsJsonAsync($"/providers/{providerId}/webhook", new { url });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Receiver.Secret = (await registered.Read<WebhookRegistrationView>()).Secret!;
    }
}
