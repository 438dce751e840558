namespace Platform.TestHost.Messages;

/// <summary>A message the plumbing tests send through the outbox; RunId keeps concurrent tests apart.</summary>
public sealed record TestMessage(Guid RunId, int Number);

/// <summary>The event a receiver appends for each TestMessage it applies.</summary>
public sealed record TestMessageApplied(Guid RunId, int Number);
