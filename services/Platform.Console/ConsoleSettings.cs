using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace Platform.Console;

/// <summary>One of the four services the console reads: where it answers, and the audience its tokens name.</summary>
public sealed record PlatformService(string Name, string Audience, Uri Address);

/// <summary>
/// The console's settings, every one an environment variable: where the issuer and the four APIs answer,
/// the business time zone it shows instants in, and how often the deadlines board refreshes.
/// </summary>
public sealed record ConsoleSettings(
    Uri Authority, PlatformService Order, PlatformService Warranty, PlatformService RepairDispatch, PlatformService Arbitration,
    string BusinessTimeZoneId, TimeSpan BoardRefresh, int MaxBoardPages)
{
    public IReadOnlyList<PlatformService> Services => [Order, Warranty, RepairDispatch, Arbitration];

    public static ConsoleSettings From(IConfiguration configuration)
    {
        PlatformService Service(string name, string audience, int port) =>
            new(name, audience, new Uri(configuration[$"PLATFORM_CONSOLE_{name.ToUpperInvariant()}_URL"] ?? $"http://127.0.0.1:{port}/", UriKind.Absolute));
        var refresh = configuration.GetValue("Console:BoardRefreshSeconds", 5);
        var pages = configuration.GetValue("Console:MaxBoardPages", 20);
        if (refresh is < 1 or > 3600)
        {
            throw new InvalidOperationException($"Console__BoardRefreshSeconds must be 1 to 3600, not {refresh}.");
        }
        if (pages is < 1 or > 1000)
        {
            throw new InvalidOperationException($"Console__MaxBoardPages must be 1 to 1000, not {pages}.");
        }
        return new ConsoleSettings(
            new Uri(configuration["PLATFORM_AUTH_AUTHORITY"] ?? AuthenticationSettings.DefaultAuthority, UriKind.Absolute),
            Service("Order", "order", 5101), Service("Warranty", "warranty", 5102),
            Service("RepairDispatch", "repairdispatch", 5103), Service("Arbitration", "arbitration", 5104),
            ZonedInstant.RequireZone(configuration["Console:BusinessTimeZoneId"] ?? "Asia/Shanghai", "Console__BusinessTimeZoneId"),
            TimeSpan.FromSeconds(refresh), pages);
    }
}
