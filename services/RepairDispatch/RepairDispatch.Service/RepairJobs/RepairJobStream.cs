using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;

namespace RepairDispatch.Service.RepairJobs;

/// <summary>What a job's command is made from: the job as loaded, the time, and the providers a dispatch would choose from.</summary>
public sealed record JobToDecide(RepairJob State, DateTimeOffset Now, IReadOnlyCollection<ProviderCandidate> Providers);

/// <summary>One event stream per repair job.</summary>
public sealed class RepairJobStream
{
    public const string StreamType = "repair-job";

    private readonly RepairDispatchPolicy policy;
    private readonly TimeProvider clock;

    public RepairJobStream(RepairDispatchPolicy policy, RepairJobEffects effects, RepairDispatchMetrics metrics, TimeProvider clock)
    {
        this.policy = policy;
        this.clock = clock;
        Aggregate = new()
        {
            StreamType = StreamType,
            Initial = RepairJob.Initial,
            Evolve = RepairJobDecider.Evolve,
            Load = async (session, streamId, ct) =>
            {
                await JobLock.Take(session, streamId, ct);
                return await session.Load(streamId, StreamType, RepairJob.Initial, (s, e) => RepairJobDecider.Evolve(s, (RepairJobEvent)e), ct);
            },
            Effects = effects.Apply,
            Committed = metrics.Record,
        };
    }

    public Aggregate<RepairJob, RepairJobEvent> Aggregate { get; }

    private const string StreamPrefix = "repair-job-";

    public static string StreamId(Guid jobId) => $"{StreamPrefix}{jobId}";

    public static Guid JobId(string streamId) => Guid.Parse(streamId.AsSpan(StreamPrefix.Length));

    /// <summary>Each provider's own queue: a dispatch is sent there and nowhere else.</summary>
    public static string ProviderQueue(string providerId) => $"repair-provider-{providerId}";

    /// <summary>
    /// Decides a command on the job in the unit of work: the providers it may dispatch to are read after
    /// the job's lock is taken, so a report that waited is judged by when it was decided, not queued.
    /// </summary>
    /// <param name="opening">The request of a job the command may open; an existing job's providers are chosen by its own request.</param>
    public async Task<Handled<RepairJob, RepairJobEvent>> Handle(
        UnitOfWork work, Guid jobId, RepairRequest? opening, Func<JobToDecide, RepairJobCommand> command, CancellationToken ct) =>
        await Decide(work, await Aggregate.LoadFrom(work.Session, StreamId(jobId), ct), opening, command, ct);

    /// <summary>
    /// Opens a job without reading it first when the message that opens it is delivered for the first time. The job's id
    /// is named after its claim or case, so only that message can have opened it before: a redelivery then fails the
    /// commit on the stream's version and the inbox finds it, and the same claim sent again under a new message id fails
    /// it too and is decided again, on its retry, on the job as loaded. Two round trips fewer for every job.
    /// </summary>
    public Task<Handled<RepairJob, RepairJobEvent>> Open(
        UnitOfWork work, Guid jobId, RepairRequest request, bool retried, Func<JobToDecide, RepairJobCommand> command, CancellationToken ct)
    {
        if (retried)
        {
            return Handle(work, jobId, request, command, ct);
        }
        JobLock.Unopened(work.Session, jobId);
        return Decide(work, new LoadedStream<RepairJob>(StreamId(jobId), StreamType, 0, RepairJob.Initial), request, command, ct);
    }

    private async Task<Handled<RepairJob, RepairJobEvent>> Decide(
        UnitOfWork work, LoadedStream<RepairJob> stream, RepairRequest? opening, Func<JobToDecide, RepairJobCommand> command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var request = stream.State is RepairJob.Opened opened ? opened.Details.Request : opening;
        var candidates = request is null
            ? []
            : await ProviderCapacity.Candidates(work.Session, request.Region, request.Category, policy.QualityScore, ct);
        var decision = RepairJobDecider.Decide(command(new JobToDecide(stream.State, now, candidates)), stream.State, policy);
        var after = await work.Append(Aggregate, stream, decision.Events, ct);
        return new Handled<RepairJob, RepairJobEvent>(stream, decision, after);
    }
}
