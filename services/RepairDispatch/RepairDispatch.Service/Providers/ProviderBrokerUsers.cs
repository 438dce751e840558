using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Platform.ServiceDefaults;
using RepairDispatch.Service.Features.ProviderReports;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Providers;

/// <summary>What a provider connects to the broker with; the password is shown once and kept nowhere by the platform.</summary>
public sealed record BrokerCredentials(
    string User,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Password,
    string VirtualHost,
    string Queue,
    string ReportsExchange);

/// <summary>
/// Each provider's own RabbitMQ user, through the broker's management HTTP API: it may read its own queue,
/// write only to its own reports exchange (bound to <see cref="ProviderReportConsumer.Queue"/>), and
/// declare only those two and its queue's exchange, which a MassTransit client declares on start. The
/// broker stamps nothing but checks the AMQP user_id a message carries against the connection's user, so
/// <see cref="ProviderOf"/> is who sent a report.
/// </summary>
/// <remarks>
/// Nothing here is transactional with the provider's stream: every call is idempotent and runs after the
/// stream's commit, so a retry of the request puts the broker right.
/// </remarks>
public sealed class ProviderBrokerUsers
{
    private const string HashingAlgorithm = "rabbit_password_hashing_sha256";

    private readonly HttpClient http;
    private readonly string prefix;
    private readonly string vhost;

    public ProviderBrokerUsers(HttpClient http, RepairDispatchSettings settings, PlatformSettings platform)
    {
        var broker = settings.BrokerUsers;
        http.BaseAddress = broker.ManagementUrl ?? new Uri($"http://{platform.RabbitHost}:15672/");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{broker.ManagementUser ?? platform.RabbitUser}:{broker.ManagementPassword ?? platform.RabbitPassword}")));
        this.http = http;
        prefix = broker.UserPrefix;
        vhost = platform.RabbitVirtualHost;
    }

    public string UserName(string providerId) => prefix + providerId;

    /// <summary>The provider whose broker user this is; null for any other user (the platform's own, an operator's).</summary>
    public string? ProviderOf(string? user) =>
        user is not null && user.StartsWith(prefix, StringComparison.Ordinal) && ProviderIds.IsValid(user[prefix.Length..]) ? user[prefix.Length..] : null;

    /// <summary>Where a provider sends its reports: an exchange of its own, bound to the reports queue.</summary>
    public static string ReportsExchange(string providerId) => $"{ProviderReportConsumer.Queue}.{providerId}";

    /// <summary>Creates the provider's user with a new password unless it has one; the credentials only when created.</summary>
    public async Task<BrokerCredentials?> Ensure(string providerId, CancellationToken ct)
    {
        using var existing = await http.GetAsync($"api/users/{Escape(UserName(providerId))}", ct);
        if (existing.StatusCode != HttpStatusCode.NotFound)
        {
            existing.EnsureSuccessStatusCode();
            await Grant(providerId, ct);
            return null;
        }
        return await IssuePassword(providerId, ct);
    }

    /// <summary>A new password for the provider's user (created if absent); the old one stops working for new connections.</summary>
    public async Task<BrokerCredentials> IssuePassword(string providerId, CancellationToken ct)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await Put($"api/users/{Escape(UserName(providerId))}", new { password, tags = "" }, ct);
        await Grant(providerId, ct);
        return Credentials(providerId, password);
    }

    /// <summary>
    /// A seeded provider's user. With a password hash from its configuration (RabbitMQ's salted SHA-256, as
    /// <c>rabbitmqctl hash_password</c> prints it) the user gets that password at every start, so the clear one is
    /// never in the platform's configuration; without one, a user created now has no password until one is issued.
    /// </summary>
    public async Task Seed(string providerId, string? passwordHash, CancellationToken ct)
    {
        var user = $"api/users/{Escape(UserName(providerId))}";
        if (passwordHash is not null)
        {
            await Put(user, new { password_hash = passwordHash, hashing_algorithm = HashingAlgorithm, tags = "" }, ct);
        }
        else
        {
            using var existing = await http.GetAsync(user, ct);
            if (existing.StatusCode == HttpStatusCode.NotFound)
            {
                await Put(user, new { password_hash = "", hashing_algorithm = HashingAlgorithm, tags = "" }, ct);
            }
        }
        await Grant(providerId, ct);
    }

    /// <summary>Deletes the provider's user, which closes its connections, and its reports exchange.</summary>
    public async Task Remove(string providerId, CancellationToken ct)
    {
        await Delete($"api/users/{Escape(UserName(providerId))}", ct);
        await Delete($"api/exchanges/{Escape(vhost)}/{Escape(ReportsExchange(providerId))}", ct);
    }

    public BrokerCredentials Credentials(string providerId, string? password) =>
        new(UserName(providerId), password, vhost, RepairJobStream.ProviderQueue(providerId), ReportsExchange(providerId));

    /// <summary>
    /// The provider's queue and reports exchange, declared as MassTransit declares them so that either side may
    /// declare them again, and the user's permissions. A raw AMQP client needs only read and write; configure is
    /// what a MassTransit client declares on start: the queue, its exchange of the same name, the reports exchange.
    /// </summary>
    private async Task Grant(string providerId, CancellationToken ct)
    {
        var v = Escape(vhost);
        var reports = ReportsExchange(providerId);
        var queue = RepairJobStream.ProviderQueue(providerId);
        var exchange = new { type = "fanout", durable = true, auto_delete = false, @internal = false, arguments = new { } };
        await Put($"api/exchanges/{v}/{Escape(ProviderReportConsumer.Queue)}", exchange, ct);
        await Put($"api/exchanges/{v}/{Escape(reports)}", exchange, ct);
        await Post($"api/bindings/{v}/e/{Escape(reports)}/e/{Escape(ProviderReportConsumer.Queue)}", new { routing_key = "", arguments = new { } }, ct);
        await Put($"api/queues/{v}/{Escape(queue)}", new { durable = true, auto_delete = false, arguments = new { } }, ct);
        string Only(params string[] names) => $"^({string.Join('|', names.Select(Regex.Escape))})$";
        await Put($"api/permissions/{v}/{Escape(UserName(providerId))}", new
        {
            configure = Only(queue, reports),
            write = Only(queue, reports),
            read = Only(queue),
        }, ct);
    }

    private static string Escape(string name) => Uri.EscapeDataString(name);

    private async Task Put(string path, object body, CancellationToken ct)
    {
        using var response = await http.PutAsJsonAsync(path, body, ct);
        await Ensure(response, path, ct);
    }

    private async Task Post(string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(path, body, ct);
        await Ensure(response, path, ct);
    }

    private async Task Delete(string path, CancellationToken ct)
    {
        using var response = await http.DeleteAsync(path, ct);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await Ensure(response, path, ct);
        }
    }

    private static async Task Ensure(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new BrokerManagementException(
                $"RabbitMQ's management API answered {(int)response.StatusCode} to {response.RequestMessage?.Method} {path}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}

/// <summary>The broker's management API refused or failed a call: the provider's broker user is not as it should be yet.</summary>
public sealed class BrokerManagementException(string message) : Exception(message);
