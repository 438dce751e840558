using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity;

/// <summary>
/// The platform's OpenID Connect issuer for development, tests and the demo (production points the
/// services at the company's own identity provider instead). Machine parties get tokens with the
/// client credentials grant: one client per provider, merchant system, trade system or customer-service
/// tool, its role and party kept with the client and written into each token as the "role" and "sub"
/// claims, one audience (the service) per token. Tokens are JWTs signed with RSA keys published at the
/// JWKS endpoint, valid for minutes. Clients are registered and removed by an operator's client through
/// /clients; removing one revokes its tokens everywhere through /revocations.
/// </summary>
public static class IssuerHost
{
    public const string Name = "identity";
    private const string RoleProperty = "role";
    private const string PartyProperty = "party";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = IssuerSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddDbContext<IdentityStore>(o => o
            // A database restart or failover drops its connections: the statement is retried on a new one
            // rather than answered with 500.
            .UseNpgsql(PlatformSettings.From(builder.Configuration).ConnectionString(builder.Configuration["PLATFORM_PG_DATABASE"] ?? Name),
                npgsql => npgsql.EnableRetryOnFailure())
            .UseOpenIddict());

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<IdentityStore>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris(IssuerProtocol.TokenPath.TrimStart('/'));
                o.AllowClientCredentialsFlow();
                o.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                if (settings.Issuer is not null)
                {
                    o.SetIssuer(settings.Issuer);
                }
                // Services read the tokens themselves with JwtBearer: signed, not encrypted.
                o.DisableAccessTokenEncryption();
                // Tokens are self-contained and revoked per registration (see /revocations), so
                // nothing is gained by a database row per token or per authorization.
                o.DisableTokenStorage();
                o.DisableAuthorizationStorage();
                o.RegisterScopes([.. settings.Audiences, IssuerProtocol.AdministrationAudience]);
                foreach (var key in SigningKeys.Load(settings.SigningKeysDirectory, TimeProvider.System))
                {
                    o.AddSigningKey(key);
                }
                // OpenIddict insists on an encryption key, for tokens this issuer never makes
                // (authorization codes, refresh tokens); one made at start protects nothing anyone keeps.
                o.AddEphemeralEncryptionKey();
                var aspNetCore = o.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (!settings.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
                o.AddAudiences(IssuerProtocol.AdministrationAudience);
            });
        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        builder.Services.AddAuthorization(o => o.AddPolicy(IssuerProtocol.AdministrationAudience, p => p
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireClaim(Claims.Role, PlatformRoles.Operator)));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost(IssuerProtocol.TokenPath, IssueToken);
        app.MapPut(IssuerProtocol.ClientsPath + "/{clientId}", RegisterClient).RequireAuthorization(IssuerProtocol.AdministrationAudience);
        app.MapDelete(IssuerProtocol.ClientsPath + "/{clientId}", RemoveClient).RequireAuthorization(IssuerProtocol.AdministrationAudience);
        app.MapGet(IssuerProtocol.RevocationsPath, Revocations);
        app.MapGet("/health/live", () => Results.Ok());
        app.MapGet("/health/ready", async (IdentityStore store, CancellationToken ct) =>
            await store.Database.CanConnectAsync(ct) ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        return app;
    }

    /// <summary>Creates the store's tables and the administrator's client; run before the issuer serves.</summary>
    public static async Task Prepare(WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IdentityStore>();
        await store.Database.EnsureCreatedAsync(ct);
        var settings = scope.ServiceProvider.GetRequiredService<IssuerSettings>();
        await Register(scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), IssuerProtocol.AdministratorClientId,
            new ClientRegistration(settings.AdministratorSecret, PlatformRoles.Operator, IssuerProtocol.AdministratorClientId, [IssuerProtocol.AdministrationAudience]), ct);
    }

    /// <summary>The client credentials grant: the client is authenticated by OpenIddict before this runs.</summary>
    private static async Task<IResult> IssueToken(HttpContext context, IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The token request was not read by OpenIddict.");
        var scopes = request.GetScopes();
        if (!request.IsClientCredentialsGrantType() || scopes.Length != 1)
        {
            return Refuse(Errors.InvalidRequest, "Ask for a client credentials token for one service: scope=<service>.");
        }
        var application = await applications.FindByClientIdAsync(request.ClientId!, ct);
        if (application is null)
        {
            return Refuse(Errors.InvalidClient, "The client is not registered.");
        }
        var properties = await applications.GetPropertiesAsync(application, ct);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Subject, Claims.Role);
        identity.SetClaim(Claims.Subject, properties[PartyProperty].GetString())
            .SetClaim(Claims.Role, properties[RoleProperty].GetString())
            .SetClaim(IssuerProtocol.RegistrationClaim, await applications.GetIdAsync(application, ct));
        identity.SetScopes(scopes);
        identity.SetResources(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static async Task<IResult> RegisterClient(string clientId, ClientRegistration registration, IOpenIddictApplicationManager applications,
        IssuerSettings settings, CancellationToken ct)
    {
        var problems = new List<string>();
        if (clientId == IssuerProtocol.AdministratorClientId)
        {
            problems.Add("The administrator's client is set by PLATFORM_IDENTITY_ADMIN_SECRET, not here.");
        }
        if (!PlatformRoles.All.Contains(registration.Role))
        {
            problems.Add($"Unknown role '{registration.Role}'. Roles: {string.Join(", ", PlatformRoles.All)}.");
        }
        if (string.IsNullOrWhiteSpace(registration.Party) || string.IsNullOrWhiteSpace(registration.Secret) || registration.Secret.Length < 16)
        {
            problems.Add("A client needs a party and a secret of at least 16 characters.");
        }
        if (registration.Audiences.Count == 0 || registration.Audiences.Any(a => !settings.Audiences.Contains(a)))
        {
            problems.Add($"Audiences are services among {string.Join(", ", settings.Audiences)}.");
        }
        if (registration.AccessTokenLifetime is { } lifetime && (lifetime <= TimeSpan.Zero || lifetime > settings.AccessTokenLifetime))
        {
            problems.Add($"A client's token lifetime may only be shorter than the issuer's ({settings.AccessTokenLifetime}).");
        }
        if (problems.Count > 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["client"] = [.. problems] });
        }
        await Register(applications, clientId, registration, ct);
        return Results.NoContent();
    }

    private static async Task Register(IOpenIddictApplicationManager applications, string clientId, ClientRegistration registration, CancellationToken ct)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = registration.Secret,
            ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            Properties =
            {
                [RoleProperty] = JsonSerializer.SerializeToElement(registration.Role),
                [PartyProperty] = JsonSerializer.SerializeToElement(registration.Party),
            },
        };
        foreach (var audience in registration.Audiences)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + audience);
        }
        if (registration.AccessTokenLifetime is { } lifetime)
        {
            descriptor.Settings[Settings.TokenLifetimes.AccessToken] = lifetime.ToString("c", CultureInfo.InvariantCulture);
        }
        var existing = await applications.FindByClientIdAsync(clientId, ct);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, ct);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, ct);
        }
    }

    private static async Task<IResult> RemoveClient(string clientId, IOpenIddictApplicationManager applications, IdentityStore store, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null || clientId == IssuerProtocol.AdministratorClientId)
        {
            return Results.NotFound();
        }
        store.Revocations.Add(new Revocation
        {
            Registration = await applications.GetIdAsync(application, ct) ?? throw new InvalidOperationException($"Client {clientId} has no id."),
            ClientId = clientId,
            RevokedAt = DateTimeOffset.UtcNow,
        });
        await store.SaveChangesAsync(ct);
        await applications.DeleteAsync(application, ct);
        return Results.NoContent();
    }

    /// <summary>
    /// Registrations revoked within the longest token lifetime (and a margin for clock skew): older
    /// ones' tokens have expired anyway. Public, like the JWKS: it names client ids and nothing secret.
    /// </summary>
    private static async Task<IResult> Revocations(IdentityStore store, IssuerSettings settings, CancellationToken ct)
    {
        var since = DateTimeOffset.UtcNow - settings.AccessTokenLifetime - TimeSpan.FromMinutes(5);
        var revoked = await store.Revocations.Where(r => r.RevokedAt >= since).OrderBy(r => r.RevokedAt)
            .Select(r => new RevokedRegistration(r.Registration, r.ClientId, r.RevokedAt)).ToListAsync(ct);
        return Results.Ok(revoked);
    }
}

public sealed record IssuerSettings(
    Uri? Issuer,
    TimeSpan AccessTokenLifetime,
    string SigningKeysDirectory,
    string AdministratorSecret,
    bool RequireHttps,
    ImmutableHashSet<string> Audiences)
{
    public static IssuerSettings From(IConfiguration configuration)
    {
        var minutes = configuration["PLATFORM_IDENTITY_TOKEN_MINUTES"] ?? "10";
        var secret = configuration["PLATFORM_IDENTITY_ADMIN_SECRET"];
        return new IssuerSettings(
            configuration["PLATFORM_IDENTITY_ISSUER"] is { Length: > 0 } issuer ? new Uri(issuer, UriKind.Absolute) : null,
            double.TryParse(minutes, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 && m <= 60
                ? TimeSpan.FromMinutes(m)
                : throw new InvalidOperationException($"PLATFORM_IDENTITY_TOKEN_MINUTES must be a number of minutes above 0 and at most 60, not '{minutes}'."),
            configuration["PLATFORM_IDENTITY_SIGNING_KEYS"] ?? Path.Combine(Path.GetTempPath(), "platform-identity-keys"),
            secret is { Length: >= 16 } ? secret : throw new InvalidOperationException("PLATFORM_IDENTITY_ADMIN_SECRET must be set, at least 16 characters: the operator client's secret."),
            !string.Equals(configuration["PLATFORM_AUTH_REQUIRE_HTTPS"], "false", StringComparison.OrdinalIgnoreCase),
            [.. IssuerProtocol.ServiceAudiences]);
    }
}
