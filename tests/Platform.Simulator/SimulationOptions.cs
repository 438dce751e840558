using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;

namespace Platform.Simulator;

/// <summary>What a run plays against: the four services, the broker and issuer they share, and their clock.</summary>
public sealed record SimulationOptions
{
    public int Orders { get; init; } = 30;
    public int Seed { get; init; } = 7;

    /// <summary>Which stories the orders beyond the first of each repeat.</summary>
    public Mix Mix { get; init; } = Mix.Everyday;

    /// <summary>The trade system begins this many orders a second, one after another; 0 begins them all at once.</summary>
    public double OrdersPerSecond { get; init; }

    /// <summary>When set, the run expects the services and servers to fail under it, and sabotages them itself.</summary>
    public ChaosOptions? Chaos { get; init; }

    /// <summary>
    /// Real time the run may take; then it stops waiting and reports what had not settled. By default a minute
    /// more than 30 business days take on the clock: the slowest story waits out a ten-day automatic confirmation.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Real time the trade system takes to begin every order at <see cref="OrdersPerSecond"/>.</summary>
    public TimeSpan Pacing => OrdersPerSecond > 0 ? TimeSpan.FromSeconds(Orders / OrdersPerSecond) : TimeSpan.Zero;

    /// <summary>When set, the repair providers register webhooks on an HTTPS endpoint of the run's and learn of their jobs there.</summary>
    public WebhookOptions? Webhooks { get; init; }

    /// <summary>The defaults are where deploy/run.sh starts the services.</summary>
    public Uri OrderUrl { get; init; } = new("http://127.0.0.1:5101");
    public Uri WarrantyUrl { get; init; } = new("http://127.0.0.1:5102");
    public Uri RepairDispatchUrl { get; init; } = new("http://127.0.0.1:5103");
    public Uri ArbitrationUrl { get; init; } = new("http://127.0.0.1:5104");

    /// <summary>The broker (and its virtual host), as the services read it.</summary>
    public required PlatformSettings Settings { get; init; }

    /// <summary>The issuer the services trust: every party the run plays gets its tokens there.</summary>
    public required IssuerClient Tokens { get; init; }

    /// <summary>The services' shared compressed clock: trade events are stamped with it, and deadlines are waited for on it.</summary>
    public required TimeProvider Clock { get; init; }
}

/// <summary>
/// A run under faults (deploy/chaos.sh). The actors ride out outages: a call to a service that is down, or
/// answers 5xx while its database restarts, is tried again for <see cref="Patience"/>; a publish to a broker
/// that is down waits for it; the run's own queues are durable, so a broker restart does not lose what the
/// services tell it. And the run adds faults of its own while the orders flow: messages no consumer can
/// take (known ids, so the dead-letter queues can be checked), and good messages delivered again under
/// the same MessageId. What it did is written to <see cref="ManifestPath"/> with the summary, for
/// tests/Platform.Chaos to check the services' databases against.
/// </summary>
public sealed record ChaosOptions
{
    public required string ManifestPath { get; init; }

    /// <summary>
    /// Deliberately bad messages sent straight to the services' queues, spread over the orders' pacing: by default
    /// each of four kinds to a queue of each of the four services.
    /// </summary>
    public int BadMessages { get; init; } = 16;

    /// <summary>The share of the trade system's events, and of the services' events the run sees, that it sends again.</summary>
    public double DuplicateShare { get; init; } = 0.02;

    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest a flow waits between two looks at a service, so thousands of waiting flows do not flood it.</summary>
    public TimeSpan PollAtMost { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>The stories the orders after the first of each (<see cref="Plan.MinimumOrders"/>) repeat.</summary>
public enum Mix
{
    /// <summary>Mostly quiet orders, some returns and brand repairs: a marketplace's ordinary day.</summary>
    Everyday,

    /// <summary>
    /// Every story in turn, the everyday ones between: many claims, cases, callback breaches and escalations,
    /// so a fault lands on each kind of work. Guangdong's late-calling provider keeps its one order.
    /// </summary>
    EveryStory,
}
