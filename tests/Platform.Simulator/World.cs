using System.Collections.Concurrent;
using MassTransit;

namespace Platform.Simulator;

/// <summary>A flow that ran out of time: what it was waiting for when the run's deadline passed.</summary>
public sealed class StalledException(string waitingFor) : Exception($"still waiting for {waitingFor}");

/// <summary>What every actor of one run shares: the plan, the services, the bus, the clock and what went wrong.</summary>
/// <param name="stopping">The run's deadline: background work started from messages stops with it.</param>
/// <param name="pollAtMost">A wait looks again every 400 ms at first, then less often, down to once in this long.</param>
/// <param name="patience">Null: a send to the broker is tried once. Otherwise how long it is tried again while the broker is away.</param>
public sealed class World(Plan plan, Apis apis, IBus bus, TimeProvider clock, Progress progress, CancellationToken stopping,
    TimeSpan? pollAtMost = null, TimeSpan? patience = null)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan SendWithin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<string> problems = new();
    private readonly ConcurrentBag<Task> background = [];

    public Plan Plan => plan;
    public Apis Apis => apis;
    public IBus Bus => bus;
    public TimeProvider Clock => clock;
    public Progress Progress => progress;
    public CancellationToken Stopping => stopping;
    public IReadOnlyCollection<string> Problems => problems;

    /// <summary>The staff the simulator acts as; per run, so their actions are told apart from an earlier run's.</summary>
    public string CustomerServiceAgent => $"cs-{plan.RunId}";
    public string Operator => $"ops-{plan.RunId}";
    public const string UnassignedArbitrator = "arb-sim";

    public DateTimeOffset Now => clock.GetUtcNow();

    public void Problem(string what) => problems.Enqueue(what);

    /// <summary>Work started from a message handler, which must return at once; the run waits for it before reading the summary.</summary>
    public void InBackground(string what, Func<Task> work) => background.Add(Guard(what, work));

    public Task Background => Task.WhenAll(background);

    /// <summary>Runs a flow, turning what it could not do into a reported problem rather than a crash of the run.</summary>
    public async Task Guard(string what, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (StalledException e)
        {
            Problem($"{what}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            Problem($"{what}: stopped before it finished");
        }
        catch (Exception e)
        {
            Problem($"{what}: {e.Message}");
        }
    }

    /// <summary>
    /// Sends through the broker. With patience, a send that fails or hangs while the broker restarts is tried
    /// again; the caller fixes the MessageId, so a copy that did get through the first time changes nothing.
    /// </summary>
    public async Task Reliably(string what, Func<CancellationToken, Task> send, CancellationToken ct)
    {
        if (patience is not { } wait)
        {
            await send(ct);
            return;
        }
        var givingUpAt = DateTimeOffset.UtcNow + wait;
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(SendWithin);
            try
            {
                await send(attempt.Token);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow >= givingUpAt)
                {
                    throw new UnexpectedAnswerException($"sending {what}: the broker did not take it within {wait.TotalSeconds:0} s ({e.Message})");
                }
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>Polls until the probe finds something; the run's deadline ends the wait, naming what was awaited.</summary>
    public async Task<T> Until<T>(string waitingFor, Func<CancellationToken, Task<T?>> probe, CancellationToken ct) where T : struct
    {
        try
        {
            var every = PollEvery;
            while (true)
            {
                if (await probe(ct) is { } found)
                {
                    return found;
                }
                await Task.Delay(every, ct);
                if (pollAtMost is { } most && every < most)
                {
                    every = TimeSpan.FromTicks(Math.Min(most.Ticks, every.Ticks * 3 / 2));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw new StalledException(waitingFor);
        }
    }

    public Task Until(string waitingFor, Func<CancellationToken, Task<bool>> condition, CancellationToken ct) =>
        Until<bool>(waitingFor, async c => await condition(c) ? true : null, ct);
}
