using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ServiceDefaults;

/// <summary>How many requests one caller may make in a window; both are settings.</summary>
public sealed record RateLimitSettings(int PermitsPerWindow, TimeSpan Window)
{
    public static readonly IReadOnlyList<string> EnvironmentKeys = ["PLATFORM_RATE_LIMIT_PERMITS", "PLATFORM_RATE_LIMIT_WINDOW_SECONDS"];

    public static RateLimitSettings From(IConfiguration configuration) => new(
        Settings.Positive(configuration, "PLATFORM_RATE_LIMIT_PERMITS", 300),
        Settings.Positive(configuration, "PLATFORM_RATE_LIMIT_WINDOW_SECONDS", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
}

/// <summary>
/// ASP.NET Core's rate limiter, one fixed window per caller: the authenticated party (role and id),
/// else the client's address, so one party's burst cannot starve the others. Over the limit: 429 with
/// Retry-After, the seconds until the window reopens. The health probes are not limited: the
/// orchestrator's probes must not be refused because of traffic from elsewhere.
/// </summary>
public static class PlatformRateLimits
{
    public static IServiceCollection AddPlatformRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = RateLimitSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitsPerWindow,
                        Window = settings.Window,
                        QueueLimit = 0,
                    }));
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.Window;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>Who is calling, after authentication has read the token: the limiter's partition.</summary>
    private static string PartitionOf(HttpContext context) =>
        Caller.From(context.User) is { } caller ? $"{caller.Role}:{caller.SubjectId}" : $"address:{context.Connection.RemoteIpAddress}";

    /// <summary>Authentication, then the limiter (which partitions by the authenticated caller), then authorization.</summary>
    public static WebApplication UsePlatformAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
