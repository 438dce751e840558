using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Platform.Console;

/// <summary>One of the four services the console reads: where it answers, and the audience its tokens name.</summary>
public sealed record PlatformService(string Name, string Audience, Uri Address);

/// <summary>
/// The console's settings, every one an environment variable: where the issuer and the four APIs answer,
/// the business time zone it shows instants in, how often the deadlines board refreshes, how long a session
/// may stay idle and how long a call to an API may take.
/// </summary>
public sealed record ConsoleSettings(
    Uri Authority, PlatformService Order, PlatformService Warranty, PlatformService RepairDispatch, PlatformService Arbitration,
    string BusinessTimeZoneId, TimeSpan BoardRefresh, int MaxBoardPages, TimeSpan SessionIdle, TimeSpan ApiTimeout)
{
    public IReadOnlyList<PlatformService> Services => [Order, Warranty, RepairDispatch, Arbitration];

    public static ConsoleSettings From(IConfiguration configuration)
    {
        PlatformService Service(string name, string audience, int port) =>
            new(name, audience, new Uri(configuration[$"PLATFORM_CONSOLE_{name.ToUpperInvariant()}_URL"] ?? $"http://127.0.0.1:{port}/", UriKind.Absolute));
        var refresh = configuration.GetValue("Console:BoardRefreshSeconds", 5);
        var pages = configuration.GetValue("Console:MaxBoardPages", 20);
        var apiTimeout = configuration.GetValue("Console:ApiTimeoutSeconds", 15);
        if (refresh is < 1 or > 3600)
        {
            throw new InvalidOperationException($"Console__BoardRefreshSeconds must be 1 to 3600, not {refresh}.");
        }
        if (pages is < 1 or > 1000)
        {
            throw new InvalidOperationException($"Console__MaxBoardPages must be 1 to 1000, not {pages}.");
        }
        if (apiTimeout is < 1 or > 300)
        {
            throw new InvalidOperationException($"Console__ApiTimeoutSeconds must be 1 to 300, not {apiTimeout}.");
        }
        return new ConsoleSettings(
            new Uri(configuration["PLATFORM_AUTH_AUTHORITY"] ?? AuthenticationSettings.DefaultAuthority, UriKind.Absolute),
            Service("Order", "order", 5101), Service("Warranty", "warranty", 5102),
            Service("RepairDispatch", "repairdispatch", 5103), Service("Arbitration", "arbitration", 5104),
            ZonedInstant.RequireZone(configuration["Console:BusinessTimeZoneId"] ?? "Asia/Shanghai", "Console__BusinessTimeZoneId"),
            TimeSpan.FromSeconds(refresh), pages, SessionIdleFrom(configuration["Console:SessionIdle"]), TimeSpan.FromSeconds(apiTimeout));
    }

    private static TimeSpan SessionIdleFrom(string? value) =>
        value is null ? TimeSpan.FromHours(8)
        : TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var idle) && idle > TimeSpan.Zero ? idle
        : throw new InvalidOperationException($"Console__SessionIdle must be a positive duration (hh:mm:ss, 08:00:00 for eight hours), not '{value}'.");
}
