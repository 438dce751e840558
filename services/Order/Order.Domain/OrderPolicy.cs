namespace Order.Domain;

/// <summary>The Order service's policy numbers; the service binds them from configuration.</summary>
public sealed record OrderPolicy
{
    public static OrderPolicy Default { get; } = new();

    // The trade system shows the buyer a countdown from shipping, so this is elapsed time,
    // not local calendar days: a daylight-saving change must not move it.
    public TimeSpan AutoConfirmAfter { get; init; } = TimeSpan.FromDays(10);
}
