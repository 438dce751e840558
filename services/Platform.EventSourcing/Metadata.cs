using System.Diagnostics;

namespace Platform.EventSourcing;

/// <summary>
/// What ties a stored event or an outgoing message to the flow that caused it: the id of the
/// consumed message whose handling produced it (null for work started by an API call), the flow's
/// correlation id, the id of the message that in turn caused the consumed one, and the W3C trace
/// context, so a trace runs on through the outbox.
/// </summary>
public sealed record MessageMetadata(
    Guid? MessageId,
    Guid? CorrelationId,
    Guid? CausationId,
    string? TraceParent,
    string? TraceState)
{
    public static MessageMetadata FromCurrentActivity(Guid? messageId, Guid? correlationId, Guid? causationId)
    {
        var activity = Activity.Current;
        return new MessageMetadata(
            messageId,
            correlationId,
            causationId,
            activity?.Id is { } id && activity.IdFormat == ActivityIdFormat.W3C ? id : null,
            activity?.TraceStateString);
    }
}

/// <summary>The consumed message a unit of work answers to; null for work that starts at an API call.</summary>
public sealed record IncomingMessage(Guid MessageId, string Consumer);

public sealed record StoredEvent(
    long Sequence,
    string StreamId,
    long Version,
    string Type,
    object Data,
    MessageMetadata Metadata,
    DateTimeOffset RecordedAt);
