using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace RepairDispatch.Service.Features.Webhooks;

/// <summary>
/// The "RepairDispatch:Webhooks" section: how deliveries to providers' endpoints are made and retried
/// (RepairDispatch__Webhooks__AttemptTimeout=00:00:10, …). Every duration here is real time, not the
/// business clock: it paces network calls to somebody else's server.
/// </summary>
public sealed class WebhookSettings
{
    /// <summary>Accept <c>http://</c> endpoints: for a developer's machine only, never in production.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Networks (CIDR, e.g. <c>127.0.0.0/8</c>) that webhooks may reach although they are not public: loopback for a
    /// developer's receiver, a private link to one provider. Empty by default, so a URL can reach only public addresses.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// PEM files of certificates trusted as roots for providers' endpoints besides the system's (a test's or
    /// a staging receiver's self-signed certificate); certificate validation itself is never turned off.
    /// </summary>
    public List<string> TrustedCertificateFiles { get; set; } = [];

    /// <summary>How long one attempt may take, connection included, before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a first failed attempt; it doubles with every further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed delivery is kept from other workers: longer than an attempt, so only a dead worker's claim runs out.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts in flight at once in one process, over all providers.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Attempts in flight at once to one provider: a receiver that hangs until the timeout holds this many
    /// of the <see cref="Concurrency"/> slots at most, and the others keep serving every other provider.
    /// </summary>
    public int ConcurrencyPerProvider { get; set; } = 4;

    /// <summary>The longest the worker sleeps without being told of a new delivery.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a delivered delivery and its attempts stay readable in the log.</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The trusted roots, read once at start; a file that is missing or not a certificate stops the service.</summary>
    public X509Certificate2Collection TrustedCertificates()
    {
        var certificates = new X509Certificate2Collection();
        foreach (var file in TrustedCertificateFiles)
        {
            certificates.ImportFromPemFile(file);
        }
        return certificates;
    }

    internal IEnumerable<(bool Ok, string Key, object Value, string Rule)> Check()
    {
        const string prefix = "Webhooks:";
        yield return (AttemptTimeout > TimeSpan.Zero, prefix + nameof(AttemptTimeout), AttemptTimeout, "a positive duration (hh:mm:ss)");
        yield return (RetryDelay > TimeSpan.Zero, prefix + nameof(RetryDelay), RetryDelay, "a positive duration (hh:mm:ss)");
        yield return (MaxRetryDelay >= RetryDelay, prefix + nameof(MaxRetryDelay), MaxRetryDelay, "at least RetryDelay");
        yield return (Lease > AttemptTimeout, prefix + nameof(Lease), Lease, "longer than AttemptTimeout");
        yield return (Concurrency >= 1, prefix + nameof(Concurrency), Concurrency, "at least 1");
        yield return (ConcurrencyPerProvider >= 1 && ConcurrencyPerProvider <= Concurrency, prefix + nameof(ConcurrencyPerProvider),
            ConcurrencyPerProvider, "from 1 to Concurrency");
        yield return (PollInterval > TimeSpan.Zero, prefix + nameof(PollInterval), PollInterval, "a positive duration (hh:mm:ss)");
        yield return (LogRetention > TimeSpan.Zero, prefix + nameof(LogRetention), LogRetention, "a positive duration (d.hh:mm:ss)");
        foreach (var (network, i) in AllowedNetworks.Select((n, i) => (n, i)))
        {
            yield return (IPNetwork.TryParse(network, out _), $"{prefix}{nameof(AllowedNetworks)}:{i}", network, "a network in CIDR notation (10.1.0.0/16)");
        }
        foreach (var (file, i) in TrustedCertificateFiles.Select((f, i) => (f, i)))
        {
            yield return (File.Exists(file), $"{prefix}{nameof(TrustedCertificateFiles)}:{i}", file, "a readable PEM file");
        }
    }
}
