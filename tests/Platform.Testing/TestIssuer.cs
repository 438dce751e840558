using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Identity;
using Platform.ServiceDefaults.Identity;

namespace Platform.Testing;

/// <summary>
/// The platform's real issuer, started once per test process on Kestrel on a random loopback port
/// with a database of its own: services find its discovery document and JWKS over HTTP, as they find
/// the company's identity provider in production, and tests get their tokens from it with the client
/// credentials grant.
/// </summary>
public sealed class TestIssuer
{
    private static readonly Lazy<Task<TestIssuer>> Started = new(Start);

    private TestIssuer(WebApplication app, Uri authority, string administratorSecret)
    {
        App = app;
        Authority = authority;
        AdministratorSecret = administratorSecret;
        Client = new IssuerClient(authority, administratorSecret);
    }

    public static Task<TestIssuer> Shared => Started.Value;

    public WebApplication App { get; }
    public Uri Authority { get; }
    public string AdministratorSecret { get; }

    /// <summary>Registers clients and gets tokens; one per process, so each party's client is registered once.</summary>
    public IssuerClient Client { get; }

    /// <summary>
    /// What points a service at this issuer. Tests wait for a revocation and for a short-lived token
    /// to lapse, so the revocation list is read every second and the clock skew is a second.
    /// </summary>
    public string[] ServiceArguments =>
    [
        $"--PLATFORM_AUTH_AUTHORITY={Authority}",
        "--PLATFORM_AUTH_REQUIRE_HTTPS=false",
        "--PLATFORM_AUTH_REVOCATIONS_REFRESH_SECONDS=1",
        "--PLATFORM_AUTH_CLOCK_SKEW_SECONDS=1",
    ];

    /// <summary>The same as environment variables, for a service started as a process.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment =>
        ServiceArguments.Select(a => a[2..].Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>
    /// A token exactly like the issuer's for this party and service, but signed by a key the issuer
    /// never published: what a forger who knows everything but the private key can make.
    /// </summary>
    public string SignedByUnknownKey(string audience, string role, string party)
    {
        using var rsa = RSA.Create(2048);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority.ToString(),
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", party), new Claim("role", role)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "unknown" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private static async Task<TestIssuer> Start()
    {
        var database = await TestDatabase.Create(migrate: false);
        var keys = Path.Combine(Path.GetTempPath(), $"platform-issuer-keys-{Guid.NewGuid():N}");
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var app = IssuerHost.Create(
        [
            "--urls=http://127.0.0.1:0",
            $"--PLATFORM_PG_DATABASE={database.Name}",
            $"--PLATFORM_IDENTITY_SIGNING_KEYS={keys}",
            $"--PLATFORM_IDENTITY_ADMIN_SECRET={secret}",
            "--PLATFORM_AUTH_REQUIRE_HTTPS=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await IssuerHost.Prepare(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The issuer lives as long as the test process; its database and keys go with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            app.StopAsync().GetAwaiter().GetResult();
            database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(keys, recursive: true);
        };
        return new TestIssuer(app, new Uri(address + "/"), secret);
    }
}
