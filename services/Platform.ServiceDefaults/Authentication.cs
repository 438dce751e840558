using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Callers present a bearer token made by ASP.NET Core's own bearer-token handler, protected with
/// the Data Protection key ring in PLATFORM_KEYS_DIR. Every service and the credentials command
/// share that key ring and nothing else; no key is committed, and the ring is created on first use.
/// </summary>
public static class PlatformAuthentication
{
    public const string ApplicationName = "warranty-platform";
    public const string Scheme = BearerTokenDefaults.AuthenticationScheme;

    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services, string keysDirectory)
    {
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(keysDirectory))
            .SetApplicationName(ApplicationName);
        services.AddAuthentication(Scheme).AddBearerToken(Scheme, options =>
        {
            // Token lifetimes are real time even when the business clock runs compressed.
            options.TimeProvider = TimeProvider.System;
            options.BearerTokenExpiration = TimeSpan.FromHours(12);
        });
        services.AddAuthorization(options =>
        {
            options.DefaultPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(Scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User) is not null)
                .Build();
            options.FallbackPolicy = options.DefaultPolicy;
        });
        return services;
    }

    /// <summary>Issues a token for a role and party, readable by every service sharing the key ring.</summary>
    public static string IssueToken(IServiceProvider services, string role, string subjectId, TimeSpan lifetime)
    {
        if (!PlatformRoles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", PlatformRoles.All)}.", nameof(role));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(Scheme);
        var identity = new ClaimsIdentity([new Claim(Caller.RoleClaim, role), new Claim(Caller.SubjectClaim, subjectId)], Scheme, Caller.SubjectClaim, Caller.RoleClaim);
        var now = DateTimeOffset.UtcNow;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + lifetime };
        return options.BearerTokenProtector.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, Scheme));
    }

    /// <summary>A token issuer outside a service host: the credentials command and the tests.</summary>
    public static TokenIssuer CreateIssuer(string keysDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPlatformAuthentication(keysDirectory);
        return new TokenIssuer(services.BuildServiceProvider());
    }

    /// <summary>The caller of the current request; endpoints behind the fallback policy always have one.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        Caller.From(context.User) ?? throw new InvalidOperationException("The request has no authenticated platform caller.");
}

public sealed class TokenIssuer(ServiceProvider services) : IDisposable
{
    public string Issue(string role, string subjectId, TimeSpan? lifetime = null) =>
        PlatformAuthentication.IssueToken(services, role, subjectId, lifetime ?? TimeSpan.FromHours(12));

    public void Dispose() => services.Dispose();
}
