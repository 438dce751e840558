using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults.Identity;

/// <summary>An access token and when it stops being accepted.</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// The tools' side of the platform's issuer (the CLI, the simulator, the tests): registers clients
/// with the administrator's client credentials, and gets tokens with the client credentials grant.
/// A developer's party (a buyer, a merchant) is a client of its own, "role:party", registered on first
/// use with a secret this process made; its tokens are kept until shortly before they expire.
/// </summary>
public sealed class IssuerClient : IDisposable
{
    private readonly HttpClient http;
    private readonly string administratorSecret;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ClientId, string Audience), Task<IssuedToken>> tokens = new();

    public IssuerClient(Uri authority, string administratorSecret, HttpMessageHandler? handler = null)
    {
        http = new HttpClient(handler ?? new HttpClientHandler()) { BaseAddress = authority, Timeout = TimeSpan.FromSeconds(30) };
        this.administratorSecret = administratorSecret;
        Authority = authority;
    }

    public Uri Authority { get; }

    /// <summary>PLATFORM_AUTH_AUTHORITY and PLATFORM_IDENTITY_ADMIN_SECRET, as deploy/env.sh sets them.</summary>
    public static IssuerClient From(IConfiguration configuration) => new(
        new Uri(configuration["PLATFORM_AUTH_AUTHORITY"] ?? AuthenticationSettings.DefaultAuthority, UriKind.Absolute),
        configuration["PLATFORM_IDENTITY_ADMIN_SECRET"] ?? throw new InvalidOperationException("PLATFORM_IDENTITY_ADMIN_SECRET must be set to register clients with the issuer (deploy/env.sh sets the development one)."));

    public async Task Register(string clientId, ClientRegistration registration, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{IssuerProtocol.ClientsPath}/{Uri.EscapeDataString(clientId)}") { Content = JsonContent.Create(registration) };
        await SendAsAdministrator(request, ct);
    }

    /// <summary>Removes the client: its tokens are refused by every service within the services' refresh of the revocation list.</summary>
    public async Task Remove(string clientId, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{IssuerProtocol.ClientsPath}/{Uri.EscapeDataString(clientId)}");
        await SendAsAdministrator(request, ct);
        tokens.Where(t => t.Key.ClientId == clientId).ToList().ForEach(t => tokens.TryRemove(t.Key, out _));
        secrets.TryRemove(clientId, out _);
    }

    /// <summary>The client credentials grant, for one service's audience.</summary>
    public async Task<IssuedToken> RequestToken(string clientId, string secret, string audience, CancellationToken ct = default)
    {
        var requested = DateTimeOffset.UtcNow;
        using var response = await http.PostAsync(IssuerProtocol.TokenPath.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = audience,
        }), ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The issuer at {Authority} refused a token for {clientId} ({audience}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}",
                null, response.StatusCode);
        }
        var answer = await response.Content.ReadFromJsonAsync<TokenResponse>(ct) ?? throw new HttpRequestException($"The issuer at {Authority} answered no token.");
        return new IssuedToken(answer.AccessToken, requested.AddSeconds(answer.ExpiresIn));
    }

    /// <summary>A token for a party of a role at one service, registering the party's client on first use.</summary>
    public async Task<string> TokenFor(string role, string party, string audience, CancellationToken ct = default)
    {
        var clientId = IssuerProtocol.ClientIdOf(role, party);
        var key = (clientId, audience);
        var pending = tokens.GetOrAdd(key, _ => Issue(role, party, clientId, audience));
        IssuedToken token;
        try
        {
            token = await pending.WaitAsync(ct);
        }
        catch (HttpRequestException)
        {
            // A failed request is not kept: the next caller asks again.
            tokens.TryRemove(KeyValuePair.Create(key, pending));
            throw;
        }
        // Renewed with half a minute left, so a request never leaves with a token about to lapse.
        if (token.ExpiresAt - DateTimeOffset.UtcNow < RenewBefore)
        {
            tokens.TryUpdate(key, Issue(role, party, clientId, audience), pending);
            token = await tokens[key].WaitAsync(ct);
        }
        return token.AccessToken;
    }

    /// <summary>A handler that sends each request with a current token for the party at the service.</summary>
    public DelegatingHandler Bearer(string role, string party, string audience) => new BearerTokens(this, role, party, audience);

    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(30);

    /// <summary>Shared by every caller waiting for the same token, so no one caller's cancellation ends it.</summary>
    private async Task<IssuedToken> Issue(string role, string party, string clientId, string audience)
    {
        var registration = secrets.GetOrAdd(clientId, _ => new Lazy<Task<string>>(async () =>
        {
            var made = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            await Register(clientId, new ClientRegistration(made, role, party, IssuerProtocol.ServiceAudiences));
            return made;
        }));
        string secret;
        try
        {
            secret = await registration.Value;
        }
        catch (HttpRequestException)
        {
            // A registration the issuer failed (its database restarting, say) is not kept either: a
            // kept failure would refuse this party's every later call.
            secrets.TryRemove(KeyValuePair.Create(clientId, registration));
            throw;
        }
        return await RequestToken(clientId, secret, audience);
    }

    private async Task SendAsAdministrator(HttpRequestMessage request, CancellationToken ct)
    {
        var key = (IssuerProtocol.AdministratorClientId, IssuerProtocol.AdministrationAudience);
        var pending = tokens.GetOrAdd(key, _ => RequestToken(IssuerProtocol.AdministratorClientId, administratorSecret, IssuerProtocol.AdministrationAudience));
        if (pending.IsFaulted || (await pending).ExpiresAt - DateTimeOffset.UtcNow < RenewBefore)
        {
            tokens[key] = pending = RequestToken(IssuerProtocol.AdministratorClientId, administratorSecret, IssuerProtocol.AdministrationAudience, ct);
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await pending).AccessToken);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The issuer at {Authority} refused {request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}",
                null, response.StatusCode);
        }
    }

    public void Dispose() => http.Dispose();

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] double ExpiresIn);

    private sealed class BearerTokens(IssuerClient issuer, string role, string party, string audience) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await issuer.TokenFor(role, party, audience, cancellationToken));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
