using System.Globalization;

namespace Platform.Simulator;

/// <summary>
/// Counts of what the run has seen so far, from its own actions and the messages the services publish: the live
/// line only. The summary is read from the services' APIs instead.
/// </summary>
public sealed class Progress
{
    private int ordersPublished;
    private int ordersCompleted;
    private int warranties;
    private int claimsFiled;
    private int claimsSettled;
    private int dispatches;
    private int buyersReached;
    private int breaches;
    private int escalations;
    private int casesOpened;
    private int rulings;

    public void OrderPublished() => Interlocked.Increment(ref ordersPublished);
    public void OrderCompleted() => Interlocked.Increment(ref ordersCompleted);
    public void WarrantyActivated() => Interlocked.Increment(ref warranties);
    public void ClaimFiled() => Interlocked.Increment(ref claimsFiled);
    public void ClaimSettled() => Interlocked.Increment(ref claimsSettled);
    public void JobDispatched() => Interlocked.Increment(ref dispatches);
    public void BuyerReached() => Interlocked.Increment(ref buyersReached);
    public void Breach() => Interlocked.Increment(ref breaches);
    public void Escalation() => Interlocked.Increment(ref escalations);
    public void CaseOpened() => Interlocked.Increment(ref casesOpened);
    public void Ruling() => Interlocked.Increment(ref rulings);

    public string Line(TimeSpan elapsed, TimeSpan business, int orders) => string.Create(CultureInfo.InvariantCulture,
        $"[{elapsed.TotalSeconds,5:0}s | day {business.TotalDays,5:0.0}] orders {Volatile.Read(ref ordersPublished)}/{orders} sent, "
        + $"{Volatile.Read(ref ordersCompleted)} completed, {Volatile.Read(ref warranties)} warranties · "
        + $"claims {Volatile.Read(ref claimsFiled)} filed, {Volatile.Read(ref claimsSettled)} decided or resolved · "
        + $"repairs {Volatile.Read(ref dispatches)} dispatches, {Volatile.Read(ref buyersReached)} buyers reached, {Volatile.Read(ref breaches)} SLA breaches, {Volatile.Read(ref escalations)} escalated · "
        + $"cases {Volatile.Read(ref casesOpened)} opened, {Volatile.Read(ref rulings)} ruled");
}
