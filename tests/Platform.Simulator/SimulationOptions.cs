using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>What a run plays against: the four services, the broker and key ring they share, and their clock.</summary>
public sealed record SimulationOptions
{
    public int Orders { get; init; } = 30;
    public int Seed { get; init; } = 7;

    /// <summary>
    /// Real time the run may take; then it stops waiting and reports what had not settled. By default a minute
    /// more than 30 business days take on the clock: the slowest story waits out a ten-day automatic confirmation.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The defaults are where deploy/run.sh starts the services.</summary>
    public Uri OrderUrl { get; init; } = new("http://127.0.0.1:5101");
    public Uri WarrantyUrl { get; init; } = new("http://127.0.0.1:5102");
    public Uri RepairDispatchUrl { get; init; } = new("http://127.0.0.1:5103");
    public Uri ArbitrationUrl { get; init; } = new("http://127.0.0.1:5104");

    /// <summary>The broker (and its virtual host) and the key ring, as the services read them.</summary>
    public required PlatformSettings Settings { get; init; }

    /// <summary>The services' shared compressed clock: trade events are stamped with it, and deadlines are waited for on it.</summary>
    public required TimeProvider Clock { get; init; }
}
