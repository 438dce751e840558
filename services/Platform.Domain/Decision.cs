namespace Platform.Domain;

/// <summary>
/// Why a decider would not do what it was asked, the same shape in every domain: the handler
/// pipeline keeps it (a consumed message) or answers it (a request) without knowing the domain.
/// </summary>
/// <param name="Code">For programs: stable, becomes the problem's <c>code</c> and the refusal log's code.</param>
/// <param name="Reason">For people: says why, naming nothing of another party's.</param>
/// <param name="RetryAt">Set when the command only came too early: it may succeed at that instant.</param>
public sealed record Refusal(string Code, string Reason, DateTimeOffset? RetryAt = null)
{
    /// <summary>Domains name their codes as enums; the code is the member's name, so it reads the same in logs and answers.</summary>
    public static Refusal Of<TCode>(TCode code, string reason, DateTimeOffset? retryAt = null)
        where TCode : struct, Enum =>
        new(code.ToString(), reason, retryAt);

    public bool Is<TCode>(TCode code)
        where TCode : struct, Enum =>
        string.Equals(Code, code.ToString(), StringComparison.Ordinal);
}

/// <summary>
/// What every decider answers: accepted with its events (none when the command changes nothing), or
/// refused. <see cref="Events"/> is what is appended in both cases, since some refusals must leave a
/// durable record (a job's refused report, a line whose activation was refused).
/// </summary>
public abstract record Decision<TEvent>
{
    private Decision(IReadOnlyList<TEvent> events) => Events = events;

    public IReadOnlyList<TEvent> Events { get; }

    public sealed record Accepted : Decision<TEvent>
    {
        public Accepted(IReadOnlyList<TEvent> events) : base(events) { }
    }

    public sealed record Refused : Decision<TEvent>
    {
        public Refused(Refusal refusal, IReadOnlyList<TEvent>? recorded = null) : base(recorded ?? []) => Refusal = refusal;

        public Refusal Refusal { get; }
    }

    public Refusal? RefusalOrNull => (this as Refused)?.Refusal;
}

/// <summary>Shorthands a decider writes its answers with.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Decide<TEvent>.Accept(e) names the event type once, where a generic method would need it at every call.")]
public static class Decide<TEvent>
{
    public static Decision<TEvent> Nothing { get; } = new Decision<TEvent>.Accepted([]);

    public static Decision<TEvent> Accept(params IReadOnlyList<TEvent> events) => new Decision<TEvent>.Accepted(events);

    public static Decision<TEvent> Refuse<TCode>(TCode code, string reason, DateTimeOffset? retryAt = null)
        where TCode : struct, Enum =>
        new Decision<TEvent>.Refused(Refusal.Of(code, reason, retryAt));

    public static Decision<TEvent> RefuseAndRecord<TCode>(TCode code, string reason, params IReadOnlyList<TEvent> recorded)
        where TCode : struct, Enum =>
        new Decision<TEvent>.Refused(Refusal.Of(code, reason), recorded);
}
