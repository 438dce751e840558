using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults;

/// <summary>
/// How a consumer retries a transient database fault (a restart, a failover, a command timeout) before the message
/// goes to _error: this many more tries, waiting from the shortest to the longest interval, growing exponentially.
/// </summary>
public sealed record TransientRetry(int Limit, TimeSpan MinInterval, TimeSpan MaxInterval)
{
    public const string LimitKey = "PLATFORM_CONSUMER_TRANSIENT_RETRIES";
    public const string MinIntervalKey = "PLATFORM_CONSUMER_TRANSIENT_RETRY_MIN_MS";
    public const string MaxIntervalKey = "PLATFORM_CONSUMER_TRANSIENT_RETRY_MAX_MS";

    public static readonly TransientRetry Default = new(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    public static TransientRetry From(IConfiguration configuration)
    {
        var retry = new TransientRetry(
            Settings.Positive(configuration, LimitKey, Default.Limit),
            Settings.Positive(configuration, MinIntervalKey, Default.MinInterval, TimeSpan.FromMilliseconds(1)),
            Settings.Positive(configuration, MaxIntervalKey, Default.MaxInterval, TimeSpan.FromMilliseconds(1)));
        return retry.MinInterval <= retry.MaxInterval
            ? retry
            : throw new InvalidOperationException($"{MinIntervalKey} ({retry.MinInterval.TotalMilliseconds}) must not exceed {MaxIntervalKey} ({retry.MaxInterval.TotalMilliseconds}).");
    }
}
