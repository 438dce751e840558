using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than real time from a shared origin instant.
/// Every process of one run is given the same origin and speed, so they agree on "now" without
/// talking to each other, and a 24-hour SLA plays out in seconds in tests and the demo.
/// </summary>
public sealed class AcceleratedTimeProvider : TimeProvider
{
    private readonly TimeProvider real;

    public AcceleratedTimeProvider(DateTimeOffset origin, double speed, TimeProvider? real = null)
    {
        if (!(speed >= 1) || double.IsInfinity(speed))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "The clock speed must be a finite number of at least 1.");
        }
        Origin = origin;
        Speed = speed;
        this.real = real ?? System;
    }

    public DateTimeOffset Origin { get; }
    public double Speed { get; }

    public override DateTimeOffset GetUtcNow()
    {
        var now = real.GetUtcNow();
        return Origin + (now - Origin) * Speed;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        real.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / Speed;

    /// <summary>
    /// The system clock, or an accelerated one when PLATFORM_CLOCK_SPEED is above 1; its origin is
    /// PLATFORM_CLOCK_ORIGIN (an ISO 8601 instant), which every process of the run must share.
    /// </summary>
    public static TimeProvider FromConfiguration(IConfiguration configuration)
    {
        var speedText = configuration["PLATFORM_CLOCK_SPEED"];
        if (string.IsNullOrWhiteSpace(speedText))
        {
            return System;
        }
        if (!double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed))
        {
            throw new InvalidOperationException($"PLATFORM_CLOCK_SPEED must be a number, not '{speedText}'.");
        }
        if (speed == 1)
        {
            return System;
        }
        var originText = configuration["PLATFORM_CLOCK_ORIGIN"]
            ?? throw new InvalidOperationException("PLATFORM_CLOCK_ORIGIN is required with PLATFORM_CLOCK_SPEED, so that every process of the run shares one clock.");
        if (!DateTimeOffset.TryParse(originText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var origin))
        {
            throw new InvalidOperationException($"PLATFORM_CLOCK_ORIGIN must be an ISO 8601 instant, not '{originText}'.");
        }
        return new AcceleratedTimeProvider(origin, speed);
    }
}
