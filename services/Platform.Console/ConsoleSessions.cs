using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;

namespace Platform.Console;

/// <summary>
/// A signed-in person: the issuer's client it signed in as, and its tokens, one per service that will give it one.
/// Kept on the server only: the browser's cookie carries the session's id, encrypted, and never a token or the secret.
/// </summary>
public sealed class ConsoleSession(string id, string clientId, string secret, string role, string party)
{
    public string Id { get; } = id;
    public string ClientId { get; } = clientId;
    public string Role { get; } = role;
    public string Party { get; } = party;
    internal string Secret { get; } = secret;
    internal ConcurrentDictionary<string, IssuedToken> Tokens { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Signs people in with the issuer's client credentials grant and keeps their tokens renewed. A token is asked
/// for each service; a client registered for fewer services simply has no token for the others, and the console
/// shows what those services would have said to it (nothing). The role and party are read from the token the
/// issuer just gave over this process's own connection to it; the services verify every token they receive.
/// </summary>
public sealed class ConsoleSessions(ConsoleSettings settings, IMemoryCache cache) : IDisposable
{
    public const string SessionClaim = "console_session";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(30);

    // The console registers no clients, so it holds no administrator secret.
    private readonly IssuerClient issuer = new(settings.Authority, administratorSecret: string.Empty);

    /// <summary>The session, or why the issuer refused the credentials.</summary>
    public async Task<(ConsoleSession? Session, string? Refusal)> SignIn(string clientId, string secret, CancellationToken ct)
    {
        var tokens = new Dictionary<string, IssuedToken>(StringComparer.Ordinal);
        string? refusal = null;
        foreach (var service in settings.Services)
        {
            try
            {
                tokens[service.Audience] = await issuer.RequestToken(clientId, secret, service.Audience, ct);
            }
            catch (HttpRequestException e)
            {
                refusal = e.StatusCode is null ? $"The issuer at {settings.Authority} does not answer." : "The issuer refused this client id and secret.";
            }
        }
        if (tokens.Count == 0)
        {
            return (null, refusal);
        }
        var (role, party) = Claims(tokens.Values.First().AccessToken);
        if (role is null || party is null || !PlatformRoles.All.Contains(role))
        {
            return (null, "The issuer's token names no platform role for this client.");
        }
        var session = new ConsoleSession(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), clientId, secret, role, party);
        foreach (var (audience, token) in tokens)
        {
            session.Tokens[audience] = token;
        }
        cache.Set(session.Id, session, new MemoryCacheEntryOptions { SlidingExpiration = settings.SessionIdle });
        return (session, null);
    }

    public ConsoleSession? Find(string? id) => id is not null && cache.TryGetValue(id, out ConsoleSession? session) ? session : null;

    public void SignOut(string? id)
    {
        if (id is not null)
        {
            cache.Remove(id);
        }
    }

    /// <summary>A current token for the service, renewed with the session's client credentials shortly before it lapses; null when the client may not call it.</summary>
    public async Task<string?> Token(ConsoleSession session, PlatformService service, CancellationToken ct)
    {
        if (!session.Tokens.TryGetValue(service.Audience, out var token))
        {
            return null;
        }
        if (token.ExpiresAt - DateTimeOffset.UtcNow < RenewBefore)
        {
            token = await issuer.RequestToken(session.ClientId, session.Secret, service.Audience, ct);
            session.Tokens[service.Audience] = token;
        }
        return token.AccessToken;
    }

    private static (string? Role, string? Party) Claims(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2)
        {
            return (null, null);
        }
        using var payload = JsonDocument.Parse(Base64Url(parts[1]));
        string? Claim(string name) => payload.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return (Claim(Caller.RoleClaim), Claim(Caller.SubjectClaim));
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    public void Dispose() => issuer.Dispose();
}
