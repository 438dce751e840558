using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The HTTP twin of <see cref="MessagePipeline"/>: one unit of work per request, committed when the
/// handler has answered, and decided again from a fresh load when another writer got to the stream
/// first. The idempotency of the request is <see cref="IdempotencyMiddleware"/>'s.
/// </summary>
public sealed class RequestPipeline(EventStore store, PipelineMetrics metrics)
{
    /// <summary>
    /// The one retry budget for lost races, for requests as for consumers (ServiceDefaults gives the
    /// bus the same number): both race for the same streams.
    /// </summary>
    public const int Attempts = 10;

    public const string ConcurrentChangeCode = "ConcurrentChange";

    public async Task<IResult> Run(string handler, Func<UnitOfWork, CancellationToken, Task<IResult>> handle, CancellationToken ct, Guid? correlationId = null)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                await using var session = await store.OpenSession(correlationId, ct);
                var work = new UnitOfWork(session);
                var result = await handle(work, ct);
                await session.Commit(ct);
                work.OnCommitted();
                metrics.Handled(handler, result is IStatusCodeHttpResult { StatusCode: >= 400 } ? PipelineOutcome.Refused : PipelineOutcome.Committed);
                return result;
            }
            catch (Exception e) when (e is StreamConcurrencyException or InvariantConflictException)
            {
                // Decided again on a fresh load, which sees what the other writer did.
            }
        }
        // 503, not 409: the request was not refused and may well succeed when sent again, so its
        // idempotency record must not keep this answer.
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
            detail: "What this request acts on kept changing while it was decided; send it again.",
            extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = ConcurrentChangeCode });
    }
}
