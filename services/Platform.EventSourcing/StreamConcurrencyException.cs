namespace Platform.EventSourcing;

/// <summary>Another writer appended to the stream since it was loaded: load again and decide again.</summary>
public sealed class StreamConcurrencyException(string streamId, long expectedVersion, long actualVersion)
    : Exception($"Stream '{streamId}' was expected at version {expectedVersion} but is at version {actualVersion}.")
{
    public string StreamId { get; } = streamId;
    public long ExpectedVersion { get; } = expectedVersion;
    public long ActualVersion { get; } = actualVersion;
}
