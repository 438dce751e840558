using MassTransit;
using MassTransit.Configuration;

namespace Platform.ServiceDefaults;

/// <summary>
/// Checks on every message an endpoint receives, made inside MassTransit's receive pipe so that a
/// message that fails one is moved to _error with the reason in its fault headers, as a message a
/// consumer failed on is. A pre-pipe filter wraps the dispatch by message type, so it sees messages
/// of types no consumer has.
/// </summary>
internal static class ReceiveGuards
{
    public static void Apply(IReceiveEndpointConfigurator endpoint, long maxMessageBytes)
    {
        endpoint.AddPrePipeSpecification(new FilterPipeSpecification<ConsumeContext>(new SizeLimitFilter(maxMessageBytes)));
        endpoint.AddPrePipeSpecification(new FilterPipeSpecification<ConsumeContext>(new UnconsumedMessageFilter()));
    }

    private static string Queue(ConsumeContext context) => context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];

    /// <summary>
    /// A message far larger than any the platform sends is refused before any consumer reads it, so
    /// that no stream, inbox or outbox row is made of it, whatever it holds.
    /// </summary>
    private sealed class SizeLimitFilter(long maxBytes) : IFilter<ConsumeContext>
    {
        public Task Send(ConsumeContext context, IPipe<ConsumeContext> next) =>
            context.ReceiveContext.Body.Length is { } length && length > maxBytes
                ? throw new MessageTooLargeException($"The message on {Queue(context)} is {length:N0} bytes; a message may be at most {maxBytes:N0}.")
                : next.Send(context);

        public void Probe(ProbeContext context) => context.CreateFilterScope("limit-size");
    }

    /// <summary>
    /// A message no consumer of the endpoint took (its type is not one the queue takes) fails instead
    /// of going to _skipped, which keeps no reason. MassTransit's own ThrowOnSkippedMessages throws
    /// outside the error pipe, so the broker would redeliver such a message for ever.
    /// </summary>
    private sealed class UnconsumedMessageFilter : IFilter<ConsumeContext>
    {
        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            await next.Send(context);
            // A consumer may finish after the pipe returns (a consume task it added); MassTransit's own
            // dead-letter filter decides only once the message's consumption has completed, and so does this.
            await context.ConsumeCompleted;
            if (!context.ReceiveContext.IsDelivered && !context.ReceiveContext.IsFaulted)
            {
                var types = context.SupportedMessageTypes.ToList();
                throw new MessageNotConsumedException(context.ReceiveContext.InputAddress,
                    $"No consumer of {Queue(context)} takes this message: its type ({(types.Count == 0 ? "none given" : string.Join(", ", types))}) is not one the queue takes.");
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("fail-unconsumed");
    }
}

/// <summary>A message larger than an endpoint takes; its reason names the size and the limit.</summary>
public sealed class MessageTooLargeException(string message) : Exception(message);
