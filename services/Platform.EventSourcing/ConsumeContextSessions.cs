using MassTransit;

namespace Platform.EventSourcing;

public static class ConsumeContextSessions
{
    /// <summary>
    /// A unit of work for a consumed message: its MessageId goes into the inbox under
    /// <paramref name="consumer"/>, and what it appends or sends carries the message's ids.
    /// </summary>
    public static Task<Session> OpenSession(this EventStore store, ConsumeContext context, string consumer, CancellationToken ct)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("A message without a MessageId cannot be consumed exactly once.");
        Guid? causation = context.Headers.TryGetHeader(PlatformHeaders.CausationId, out var header) && Guid.TryParse(header?.ToString(), out var parsed)
            ? parsed
            : null;
        var metadata = MessageMetadata.FromCurrentActivity(messageId, context.CorrelationId ?? context.ConversationId, causation);
        return store.OpenSession(new IncomingMessage(messageId, consumer, context.CorrelationId), metadata, ct);
    }

    /// <summary>A unit of work started by an API call: no inbox record, a fresh correlation id unless one is given.</summary>
    public static Task<Session> OpenSession(this EventStore store, Guid? correlationId, CancellationToken ct) =>
        store.OpenSession(null, MessageMetadata.FromCurrentActivity(null, correlationId ?? Guid.NewGuid(), null), ct);
}
