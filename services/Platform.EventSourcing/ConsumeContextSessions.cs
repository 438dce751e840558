using System.Diagnostics;
using MassTransit;

namespace Platform.EventSourcing;

public static class ConsumeContextSessions
{
    /// <summary>Where MassTransit puts the W3C id of the activity that sent a message.</summary>
    private const string SenderActivityHeader = "MT-Activity-Id";

    /// <summary>
    /// A unit of work for a consumed message: its MessageId goes into the inbox under
    /// <paramref name="consumer"/>, and what it appends or sends carries the message's ids.
    /// </summary>
    public static Task<Session> OpenSession(this EventStore store, ConsumeContext context, string consumer, CancellationToken ct)
    {
        var (incoming, metadata) = Describe(context, consumer);
        return store.OpenSession(incoming, metadata, ct);
    }

    /// <summary>
    /// The session of one message of a batch. Its events carry that message's own ids, and continue
    /// the trace of the message's sender: the activity current while a batch runs belongs to
    /// whichever message completed the batch, or to none.
    /// </summary>
    public static Session Add(this SessionBatch batch, ConsumeContext context, string consumer)
    {
        var (incoming, metadata) = Describe(context, consumer);
        if (context.Headers.Get<string>(SenderActivityHeader) is { } sender && ActivityContext.TryParse(sender, null, out _))
        {
            metadata = metadata with { TraceParent = sender, TraceState = null };
        }
        return batch.Add(incoming, metadata);
    }

    private static (IncomingMessage Incoming, MessageMetadata Metadata) Describe(ConsumeContext context, string consumer)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("A message without a MessageId cannot be consumed exactly once.");
        Guid? causation = context.Headers.TryGetHeader(PlatformHeaders.CausationId, out var header) && Guid.TryParse(header?.ToString(), out var parsed)
            ? parsed
            : null;
        var metadata = MessageMetadata.FromCurrentActivity(messageId, context.CorrelationId ?? context.ConversationId, causation);
        return (new IncomingMessage(messageId, consumer), metadata);
    }

    /// <summary>A unit of work started by an API call: no inbox record, a fresh correlation id unless one is given.</summary>
    public static Task<Session> OpenSession(this EventStore store, Guid? correlationId, CancellationToken ct) =>
        store.OpenSession(null, MessageMetadata.FromCurrentActivity(null, correlationId ?? Guid.NewGuid(), null), ct);
}
