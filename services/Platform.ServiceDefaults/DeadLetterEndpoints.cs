using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults;

/// <summary>One dead-letter queue of this service: how many messages wait there, and the first few with their reasons.</summary>
public sealed record DeadLetterQueue(string Queue, string SourceQueue, long Messages, IReadOnlyList<FaultedMessage> Sample);

/// <summary>What a move did: how many messages went from the dead-letter queue back to the queue they came from.</summary>
public sealed record DeadLettersMoved(string Queue, string MovedTo, int Moved);

/// <summary>
/// The most messages one listing shows per queue (<c>PLATFORM_DEAD_LETTERS_MAX_SAMPLE</c>: each is read from the broker
/// and sent whole) and one move takes back (<c>PLATFORM_DEAD_LETTERS_MAX_MOVE</c>, also what a move without <c>max</c>
/// takes: a fault that is not fixed after all sends back no more than that to fail again).
/// </summary>
public sealed record DeadLetterLimits(int MaxSample, int MaxMove)
{
    public const string MaxSampleKey = "PLATFORM_DEAD_LETTERS_MAX_SAMPLE";
    public const string MaxMoveKey = "PLATFORM_DEAD_LETTERS_MAX_MOVE";

    public static readonly DeadLetterLimits Default = new(50, 1000);

    public static DeadLetterLimits From(Microsoft.Extensions.Configuration.IConfiguration configuration) => new(
        Settings.Positive(configuration, MaxSampleKey, Default.MaxSample),
        Settings.Positive(configuration, MaxMoveKey, Default.MaxMove));
}

/// <summary>
/// The `platform errors` command over HTTP, for operators (the console): each service lists and moves back
/// only the dead letters of its own queues, so a caller needs no broker credentials and no access to
/// another service's queues.
/// </summary>
public static class DeadLetterEndpoints
{
    public const string Path = "/operations/dead-letters";
    private const int DefaultSample = 10;

    internal static void MapDeadLetters(this WebApplication app)
    {
        app.MapGet(Path, async (int? sample, HttpContext http, PlatformSettings settings, EndpointDefaults endpoints, DeadLetterLimits limits, CancellationToken ct) =>
            {
                if (!http.GetCaller().Is(PlatformRoles.Operator))
                {
                    return Problems.Forbidden("Only operators read dead-lettered messages.");
                }
                if (sample < 0 || sample > limits.MaxSample)
                {
                    return Problems.Invalid("sample", $"sample must be 0 to {limits.MaxSample}.");
                }
                var queues = new ErrorQueues(settings);
                var names = endpoints.Queues.SelectMany(q => ErrorQueues.DeadLetterSuffixes.Select(suffix => q + suffix)).Order(StringComparer.Ordinal);
                var listed = new List<DeadLetterQueue>();
                foreach (var (queue, messages) in await queues.Depths(names, ct))
                {
                    var peeked = messages > 0 && sample != 0 ? await queues.Peek(queue, sample ?? Math.Min(DefaultSample, limits.MaxSample), ct) : [];
                    listed.Add(new DeadLetterQueue(queue, queue[..queue.LastIndexOf('_')], messages, peeked));
                }
                return Results.Ok(listed);
            })
            .Produces<List<DeadLetterQueue>>()
            .WithName("ListDeadLetters")
            .WithSummary("This service's dead-letter queues (operators): each with its depth and its first messages, with the reason each failed")
            .WithTags("Operations");

        app.MapPost(Path + "/{queue}/move", async (string queue, int? max, HttpContext http, PlatformSettings settings, EndpointDefaults endpoints, DeadLetterLimits limits, CancellationToken ct) =>
            {
                if (!http.GetCaller().Is(PlatformRoles.Operator))
                {
                    return Problems.Forbidden("Only operators move dead-lettered messages back.");
                }
                if (!endpoints.Queues.Any(q => ErrorQueues.DeadLetterSuffixes.Any(suffix => q + suffix == queue)))
                {
                    return Problems.NotFound($"'{queue}' is not a dead-letter queue of this service.");
                }
                if (max < 1 || max > limits.MaxMove)
                {
                    return Problems.Invalid("max", $"max must be 1 to {limits.MaxMove}.");
                }
                var queues = new ErrorQueues(settings);
                // A dead-letter queue MassTransit has not declared yet holds nothing to move.
                var moved = (await queues.Depths([queue], ct)).Count == 0 ? 0 : await queues.MoveBack(queue, max ?? limits.MaxMove, ct);
                return Results.Ok(new DeadLettersMoved(queue, queue[..queue.LastIndexOf('_')], moved));
            })
            .Produces<DeadLettersMoved>()
            .WithName("MoveDeadLettersBack")
            .WithSummary("Moves the messages a dead-letter queue holds now back to the queue they came from (operators), after the fault is fixed")
            .WithTags("Operations");
    }
}
