using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults;

/// <summary>Reading the platform's numeric settings: a service must not start on a value it cannot honour, so a bad one throws naming it.</summary>
internal static class Settings
{
    public static int Positive(IConfiguration configuration, string key, int fallback) =>
        configuration[key] is not { } value ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
        : throw new InvalidOperationException($"{key} must be a positive whole number, not '{value}'.");

    /// <summary>A duration set as a positive whole number of <paramref name="unit"/>s (the unit is in the key's name: _MS, _SECONDS, _DAYS).</summary>
    public static TimeSpan Positive(IConfiguration configuration, string key, TimeSpan fallback, TimeSpan unit) =>
        unit * Positive(configuration, key, (int)(fallback / unit));
}
