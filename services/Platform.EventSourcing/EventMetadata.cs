using JasperFx.Events;

namespace Platform.EventSourcing;

/// <summary>
/// How <see cref="MessageMetadata"/> rides on a Marten event: correlation and causation in Marten's
/// own columns, the rest as headers. Each event carries its own, so the events of a batch keep the
/// ids and trace of the message that caused each of them.
/// </summary>
internal static class EventMetadata
{
    public const string MessageId = "message-id";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>The transaction that wrote the event: a message applied twice shows as two of them.</summary>
    public const string UnitOfWork = "unit-of-work";

    public static IEvent Wrap(IEvent @event, MessageMetadata metadata, Guid unitOfWork)
    {
        @event.CorrelationId = metadata.CorrelationId?.ToString();
        @event.CausationId = metadata.CausationId?.ToString();
        @event.SetHeader(UnitOfWork, unitOfWork.ToString());
        if (metadata.MessageId is { } messageId)
        {
            @event.SetHeader(MessageId, messageId.ToString());
        }
        if (metadata.TraceParent is { } parent)
        {
            @event.SetHeader(TraceParent, parent);
        }
        if (metadata.TraceState is { } state)
        {
            @event.SetHeader(TraceState, state);
        }
        return @event;
    }

    public static MessageMetadata Read(IEvent @event) => new(
        ParseGuid(@event.GetHeader(MessageId)),
        ParseGuid(@event.CorrelationId),
        ParseGuid(@event.CausationId),
        @event.GetHeader(TraceParent)?.ToString(),
        @event.GetHeader(TraceState)?.ToString());

    private static Guid? ParseGuid(object? value) => Guid.TryParse(value?.ToString(), out var id) ? id : null;
}
