using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Identity;

namespace Platform.ServiceDefaults;

public static class PlatformRoles
{
    public const string Buyer = "buyer";
    public const string Merchant = "merchant";
    public const string Provider = "provider";
    public const string CustomerService = "customer-service";
    public const string Arbitrator = "arbitrator";
    public const string Operator = "operator";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Buyer, Merchant, Provider, CustomerService, Arbitrator, Operator,
    };
}

/// <summary>An authenticated caller: one role and the id of the party it acts as.</summary>
public sealed record Caller(string Role, string SubjectId)
{
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    public bool Is(string role) => string.Equals(Role, role, StringComparison.Ordinal);

    public bool IsParty(string role, string subjectId) => Is(role) && string.Equals(SubjectId, subjectId, StringComparison.Ordinal);

    public static Caller? From(ClaimsPrincipal principal)
    {
        var role = principal.FindFirstValue(RoleClaim);
        var subject = principal.FindFirstValue(SubjectClaim);
        return role is not null && subject is not null && PlatformRoles.All.Contains(role) ? new Caller(role, subject) : null;
    }
}

/// <summary>Where a service takes its callers' tokens from; every value is a setting.</summary>
/// <param name="Authority">The OpenID Connect issuer: its discovery document names the JWKS, so keys rotate without a redeploy.</param>
/// <param name="Audience">The service's own audience: a token for another service is refused here.</param>
/// <param name="Revocations">The issuer's list of revoked client registrations, or null where the identity provider keeps none.</param>
public sealed record AuthenticationSettings(Uri Authority, string Audience, bool RequireHttps, TimeSpan ClockSkew, Uri? Revocations, TimeSpan RevocationsRefresh)
{
    public static readonly IReadOnlyList<string> EnvironmentKeys =
    [
        "PLATFORM_AUTH_AUTHORITY", "PLATFORM_AUTH_AUDIENCE", "PLATFORM_AUTH_REQUIRE_HTTPS", "PLATFORM_AUTH_CLOCK_SKEW_SECONDS",
        "PLATFORM_AUTH_REVOCATIONS_URL", "PLATFORM_AUTH_REVOCATIONS_REFRESH_SECONDS",
    ];

    /// <summary>The development issuer's address in deploy/run.sh.</summary>
    public const string DefaultAuthority = "http://127.0.0.1:5100/";

    public static AuthenticationSettings From(IConfiguration configuration, string service)
    {
        var authority = new Uri(configuration["PLATFORM_AUTH_AUTHORITY"] ?? DefaultAuthority, UriKind.Absolute);
        var revocations = configuration["PLATFORM_AUTH_REVOCATIONS_URL"];
        // As with the database's SSL: plain HTTP is accepted on loopback unless asked otherwise, nowhere else.
        var requireHttps = configuration["PLATFORM_AUTH_REQUIRE_HTTPS"] is { } setting
            ? !string.Equals(setting, "false", StringComparison.OrdinalIgnoreCase)
            : !authority.IsLoopback;
        if (requireHttps && authority.Scheme != Uri.UriSchemeHttps)
        {
            // Refused at start: JwtBearer would otherwise fail every request, the health probes included.
            throw new InvalidOperationException($"PLATFORM_AUTH_AUTHORITY must be an https address ({authority}), or PLATFORM_AUTH_REQUIRE_HTTPS=false.");
        }
        return new AuthenticationSettings(
            authority,
            configuration["PLATFORM_AUTH_AUDIENCE"] ?? service,
            requireHttps,
            TimeSpan.FromSeconds(Seconds(configuration, "PLATFORM_AUTH_CLOCK_SKEW_SECONDS", 30, allowZero: true)),
            revocations switch
            {
                null => new Uri(authority, IssuerProtocol.RevocationsPath.TrimStart('/')),
                "none" => null,
                _ => new Uri(revocations, UriKind.Absolute),
            },
            TimeSpan.FromSeconds(Seconds(configuration, "PLATFORM_AUTH_REVOCATIONS_REFRESH_SECONDS", 10, allowZero: false)));
    }

    private static double Seconds(IConfiguration configuration, string key, double fallback, bool allowZero)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && (seconds > 0 || (allowZero && seconds == 0))
            ? seconds
            : throw new InvalidOperationException($"{key} must be a number of seconds{(allowZero ? ", 0 or more" : " above 0")}, not '{value}'.");
    }
}

/// <summary>
/// Callers present a JWT from an OpenID Connect issuer (the platform's own in development, the
/// company's identity provider in production), validated by ASP.NET Core's JwtBearer handler: the
/// issuer and signing keys from the authority's discovery document and JWKS, this service's audience,
/// the lifetime with a small clock skew. Role and party are the token's "role" and "sub" claims.
/// No service holds a secret. A token of a client registration the issuer has revoked is refused
/// before it expires (see <see cref="RevocationList"/>).
/// </summary>
public static class PlatformAuthentication
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services, IConfiguration configuration, string service)
    {
        var settings = AuthenticationSettings.From(configuration, service);
        services.AddSingleton(settings);
        services.AddSingleton<RevocationList>();
        services.AddHostedService(provider => provider.GetRequiredService<RevocationList>());
        services.AddHttpClient(nameof(RevocationList));
        // Bearer tokens only, so not AddAuthentication: it adds data protection too, whose key ring is made at
        // start-up (XML loaded, a key written unencrypted under the home directory) for cookies no service issues.
        services.AddAuthenticationCore(options => options.DefaultScheme = Scheme);
        services.AddWebEncoders();
        services.TryAddSingleton<IAuthenticationConfigurationProvider, AuthenticationSection>();
        new AuthenticationBuilder(services).AddJwtBearer(Scheme, options =>
        {
            options.Authority = settings.Authority.ToString();
            options.Audience = settings.Audience;
            options.RequireHttpsMetadata = settings.RequireHttps;
            // Claims keep the names the token gives them ("sub", "role"), not WS-Federation URIs.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.ClockSkew = settings.ClockSkew;
            options.TokenValidationParameters.NameClaimType = Caller.SubjectClaim;
            options.TokenValidationParameters.RoleClaimType = Caller.RoleClaim;
            // Token lifetimes are real time even when the business clock runs compressed.
            options.TimeProvider = TimeProvider.System;
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var registration = context.Principal?.FindFirstValue(IssuerProtocol.RegistrationClaim);
                    if (registration is not null && context.HttpContext.RequestServices.GetRequiredService<RevocationList>().IsRevoked(registration))
                    {
                        context.Fail("The token's client was revoked.");
                    }
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorization(options =>
        {
            options.DefaultPolicy = new AuthorizationPolicyBuilder(Scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User) is not null)
                .Build();
            options.FallbackPolicy = options.DefaultPolicy;
        });
        return services;
    }

    /// <summary>The caller of the current request; endpoints behind the fallback policy always have one.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        Caller.From(context.User) ?? throw new InvalidOperationException("The request has no authenticated platform caller.");
}

/// <summary>
/// The client registrations the issuer revoked recently, fetched every few seconds. A token is
/// self-contained and lives minutes; checking it against this list refuses a revoked client's tokens
/// within one refresh, without a call to the issuer per request (introspection would make the issuer
/// a dependency of every request). When the issuer does not answer, the last list is kept: a
/// revoked client's tokens still expire within minutes.
/// </summary>
public sealed class RevocationList(AuthenticationSettings settings, IHttpClientFactory clients, ILogger<RevocationList> logger) : BackgroundService
{
    private volatile FrozenSet<string> revoked = FrozenSet<string>.Empty;

    public bool IsRevoked(string registration) => revoked.Contains(registration);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Revocations is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.RevocationsRefresh);
        try
        {
            do
            {
                try
                {
                    var list = await clients.CreateClient(nameof(RevocationList)).GetFromJsonAsync<List<RevokedRegistration>>(settings.Revocations, stoppingToken);
                    revoked = (list ?? []).Select(r => r.Registration).ToFrozenSet(StringComparer.Ordinal);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("The revocation list at {Url} could not be read ({Error}); keeping the last one.", settings.Revocations, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping.
        }
    }
}

/// <summary>Where a scheme's settings may also come from (<c>Authentication:Schemes:Bearer</c>), as AddAuthentication would register it.</summary>
internal sealed class AuthenticationSection(IConfiguration configuration) : IAuthenticationConfigurationProvider
{
    public IConfiguration AuthenticationConfiguration { get; } = configuration.GetSection("Authentication");
}
