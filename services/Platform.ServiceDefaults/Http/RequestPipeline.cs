using Platform.EventSourcing;
using Platform.EventSourcing.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The HTTP twin of <see cref="MessagePipeline"/>: one unit of work per request, committed when the
/// handler has answered, and decided again from a fresh load when another writer got to the stream
/// first. The answer under the request's Idempotency-Key (<see cref="IdempotencyMiddleware"/>) is kept
/// by the same commit, so a retry after a lost answer gets what the caller would have got, even when
/// the process stopped right after the commit.
/// </summary>
public sealed class RequestPipeline(EventStore store, PipelineMetrics metrics, IHttpContextAccessor http, TimeProvider clock)
{
    /// <summary>
    /// The one retry budget for lost races, for requests as for consumers (ServiceDefaults gives the
    /// bus the same number): both race for the same streams.
    /// </summary>
    public const int Attempts = 10;

    public const string ConcurrentChangeCode = "ConcurrentChange";

    /// <param name="finalAnswer">
    /// False when the caller acts on the answer after the unit of work (a call to the broker that may fail and be
    /// answered 503): the answer is then kept once the request has answered, as for a request without a unit of work.
    /// </param>
    public async Task<IResult> Run(string handler, Func<UnitOfWork, CancellationToken, Task<IResult>> handle, CancellationToken ct,
        Guid? correlationId = null, bool finalAnswer = true)
    {
        var context = http.HttpContext;
        var held = context?.Features.Get<IdempotencyMiddleware.HeldKey>();
        if (!finalAnswer)
        {
            if (held is { ClaimedFirst: false })
            {
                throw new InvalidOperationException(
                    $"{handler} acts after its unit of work, so its endpoint's key must be claimed first: it cannot be {nameof(IdempotencyMiddleware.KeptByUnitOfWork)}.");
            }
            held = null;
        }
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                await using var session = await store.OpenSession(correlationId, ct);
                var work = new UnitOfWork(session);
                var result = await handle(work, ct);
                var kept = held is null ? null : await KeptAnswer.Render(result, context!);
                // A 5xx is not kept: the same request sent again may well succeed.
                var keep = kept is { Status: < StatusCodes.Status500InternalServerError };
                if (keep)
                {
                    var values = IdempotencyMiddleware.RecordValues(held!, kept!, clock.GetUtcNow());
                    if (held!.ClaimedFirst)
                    {
                        session.Queue(IdempotencyMiddleware.RecordSql, values);
                    }
                    else
                    {
                        session.Take(IdempotencyMiddleware.Table, held.Key, IdempotencyMiddleware.TakeSql, values);
                    }
                }
                await session.Commit(ct);
                work.OnCommitted();
                var status = kept?.Status ?? (result as IStatusCodeHttpResult)?.StatusCode;
                metrics.Handled(handler, status >= 400 ? PipelineOutcome.Refused : PipelineOutcome.Committed);
                if (kept is null)
                {
                    return result;
                }
                held!.KeptWithUnitOfWork = keep;
                return kept;
            }
            catch (InvariantConflictException e) when (e.Table == IdempotencyMiddleware.Table)
            {
                // Another request under the key committed first: the middleware answers what that one answered.
                held!.TakenByAnother = true;
                metrics.Handled(handler, PipelineOutcome.Duplicate);
                return Results.Empty;
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
