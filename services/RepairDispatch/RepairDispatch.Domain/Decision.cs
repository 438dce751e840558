namespace RepairDispatch.Domain;

/// <summary>
/// What a decider answers: the command is accepted with its events (none when it changes nothing),
/// or refused with a reason. <see cref="Events"/> is what the service appends in both cases: some
/// refusals must leave a durable record.
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
        public Refused(Refusal refusal, IReadOnlyList<TEvent> recorded) : base(recorded) => Refusal = refusal;

        public Refusal Refusal { get; }
    }
}

/// <param name="Code">For programs: maps to a status code and lets a caller react.</param>
/// <param name="Reason">For people: says why, naming nothing of another party's.</param>
public sealed record Refusal(RefusalCode Code, string Reason);

public enum RefusalCode
{
    JobNotFound,
    JobAlreadyOpened,
    NotYourJob,
    AttemptSuperseded,
    JobCompleted,
    JobEscalated,
    CustomerNotContacted,
    AlreadyContacted,
    DeviceHeldByProvider,
    MissingProviderId,
    CapacityBelowOne,
    NoRegions,
    NoCategories,
    ProviderAlreadyRegistered,
    ProviderNotFound,
}

internal static class Decisions<TEvent>
{
    public static Decision<TEvent> Nothing { get; } = new Decision<TEvent>.Accepted([]);

    public static Decision<TEvent> Accept(params IReadOnlyList<TEvent> events) => new Decision<TEvent>.Accepted(events);

    public static Decision<TEvent> Refuse(RefusalCode code, string reason) => new Decision<TEvent>.Refused(new Refusal(code, reason), []);

    public static Decision<TEvent> RefuseAndRecord(RefusalCode code, string reason, params IReadOnlyList<TEvent> recorded) =>
        new Decision<TEvent>.Refused(new Refusal(code, reason), recorded);
}
