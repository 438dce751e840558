using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Middleware;

namespace Platform.ServiceDefaults;

/// <summary>
/// Counts every message an endpoint dead-letters, as platform.messages.dead_lettered by queue and
/// by where it went (_error: it could not be read, no consumer takes its type, or a consumer failed
/// on it; _skipped: only what MassTransit still dead-letters on its own), then lets MassTransit's own
/// filters move it as they always do.
/// </summary>
public static class DeadLetters
{
    public const string MeterName = "Platform.Messaging";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Counter = Meter.CreateCounter<long>("platform.messages.dead_lettered", description: "Messages moved to an _error or _skipped queue");

    /// <param name="moveToError">What moves a message to _error in place of MassTransit's own move (RepairDispatch's reports').</param>
    public static void Count(IReceiveEndpointConfigurator endpoint, IFilter<ExceptionReceiveContext>? moveToError = null)
    {
        endpoint.ConfigureError(x =>
        {
            x.UseFilter(new CountingFilter<ExceptionReceiveContext>("error"));
            x.UseFilter(new GenerateFaultFilter());
            x.UseFilter(moveToError ?? new ErrorTransportFilter());
        });
        endpoint.ConfigureDeadLetter(x =>
        {
            x.UseFilter(new CountingFilter<ReceiveContext>("skipped"));
            x.UseFilter(new DeadLetterTransportFilter());
        });
    }

    private sealed class CountingFilter<T>(string destination) : IFilter<T>
        where T : class, ReceiveContext
    {
        public Task Send(T context, IPipe<T> next)
        {
            Counter.Add(1, new KeyValuePair<string, object?>("queue", context.InputAddress.AbsolutePath.Split('/')[^1]),
                new KeyValuePair<string, object?>("destination", destination),
                new KeyValuePair<string, object?>("address", context.InputAddress.ToString()));
            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("count-dead-letter");
    }
}
