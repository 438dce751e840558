using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Platform.Domain;

namespace Platform.EventSourcing.Pipeline;

/// <summary>
/// How every consumer of every service handles a message: load, decide, then either
/// the refusal kept (or, for a message that came too early, the message scheduled again for when it
/// is due) or the events appended with their effects; one commit; metrics. A consumer supplies what
/// it decides, on which stream, and nothing else.
/// </summary>
public sealed class MessagePipeline(EventStore store, PipelineMetrics metrics, ILogger<MessagePipeline> logger)
{
    public async Task Consume<TMessage>(
        ConsumeContext<TMessage> context, string consumer, Func<UnitOfWork, TMessage, CancellationToken, Task<Refusal?>> handle)
        where TMessage : class
    {
        var ct = context.CancellationToken;
        // No look in the inbox first: a redelivery is decided again and found by the commit, whose inbox row is a
        // duplicate; everything it did rolls back. Redeliveries are rare, and the look cost every message a round trip.
        await using var session = await store.OpenSession(context, consumer, ct);
        var work = new UnitOfWork(session);
        var outcome = Settle(work, session, context, consumer, context.Message, await handle(work, context.Message, ct));
        if (await session.Commit(ct) == CommitResult.Committed)
        {
            work.OnCommitted();
            metrics.Handled(consumer, outcome);
        }
        else
        {
            metrics.Handled(consumer, PipelineOutcome.Duplicate);
        }
    }

    /// <summary>
    /// A batch of messages in one transaction, each decided in its own session of the batch. A message
    /// that cannot be decided (its decider throws on a value beyond what it can compute) must not fault
    /// its neighbours: the batch is dropped before anything is written, and every message is handled
    /// on its own, the undecidable one refused alone. The same one-by-one path serves a batch that
    /// cannot commit (a redelivery inside it, two messages racing for one stream).
    /// </summary>
    public async Task ConsumeBatch<TMessage>(
        ConsumeContext<Batch<TMessage>> context,
        string consumer,
        Func<TMessage, IEnumerable<string>> streamsOf,
        Func<UnitOfWork, TMessage, CancellationToken, Task<Refusal?>> handle)
        where TMessage : class
    {
        var ct = context.CancellationToken;
        await using (var batch = await store.OpenBatch(ct))
        {
            await batch.Preload(context.Message.SelectMany(m => streamsOf(m.Message)), ct);
            var works = new List<(UnitOfWork Work, PipelineOutcome Outcome)>();
            try
            {
                foreach (var message in context.Message)
                {
                    var session = batch.Add(message, consumer);
                    var work = new UnitOfWork(session);
                    works.Add((work, Settle(work, session, message, consumer, message.Message, await handle(work, message.Message, ct))));
                }
            }
            catch (Exception e) when (IsPoison(e))
            {
                logger.LogWarning(e, "{Consumer} could not decide a message of its batch; handling each message on its own", consumer);
                works.Clear();
            }
            if (works.Count == context.Message.Length && await batch.Commit(ct) == BatchCommitResult.Committed)
            {
                foreach (var (work, outcome) in works)
                {
                    work.OnCommitted();
                    metrics.Handled(consumer, outcome);
                }
                return;
            }
        }

        foreach (var message in context.Message)
        {
            try
            {
                await Consume(message, consumer, handle);
            }
            catch (Exception e) when (IsPoison(e))
            {
                await RefuseAlone(message, consumer, e, ct);
            }
        }
    }

    /// <summary>
    /// What a pure decision throws is the same on every delivery: retrying cannot help, so it is
    /// refused. Faults of the database or the broker are not the message's, and fail the batch as usual;
    /// Marten wraps the driver's, so the whole chain is looked at.
    /// </summary>
    private static bool IsPoison(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is OperationCanceledException or StreamConcurrencyException or InvariantConflictException or Npgsql.NpgsqlException or TimeoutException)
            {
                return false;
            }
        }
        return true;
    }

    private async Task RefuseAlone<TMessage>(ConsumeContext<TMessage> message, string consumer, Exception error, CancellationToken ct)
        where TMessage : class
    {
        logger.LogError(error, "{Consumer} could not decide message {MessageId}; refused alone, its batch went on", consumer, message.MessageId);
        await using var session = await store.OpenSession(message, consumer, ct);
        session.RecordRefusal(message.Message, UndecidableCode, $"{error.GetType().Name}: {error.Message}");
        if (await session.Commit(ct) == CommitResult.Committed)
        {
            metrics.Handled(consumer, PipelineOutcome.Refused);
        }
    }

    /// <summary>The refusal code of a message whose decision threw.</summary>
    public const string UndecidableCode = "Undecidable";

    /// <remarks>What it logs, it logs once committed: a redelivery that the commit finds consumed says nothing.</remarks>
    private PipelineOutcome Settle(UnitOfWork work, Session session, ConsumeContext context, string consumer, object message, Refusal? refusal)
    {
        var type = message.GetType().Name;
        switch (refusal)
        {
            case null:
                return PipelineOutcome.Committed;
            case { RetryAt: { } due }:
                // Sent to this consumer's own queue: the other consumers of a published message had theirs.
                session.Schedule(due, message, OwnQueue(context));
                work.AfterCommit(() =>
                {
                    if (logger.IsEnabled(LogLevel.Information))
                    {
                        logger.LogInformation("{Consumer} came early for {MessageType}: {Code}; due again at {Due:O}", consumer, type, refusal.Code, due);
                    }
                });
                return PipelineOutcome.Rescheduled;
            default:
                work.AfterCommit(() => logger.LogWarning("{Consumer} refused {MessageType}: {Code}: {Reason}", consumer, type, refusal.Code, refusal.Reason));
                session.RecordRefusal(message, refusal.Code, refusal.Reason);
                return PipelineOutcome.Refused;
        }
    }

    private static string OwnQueue(ConsumeContext context) =>
        context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
}

public enum PipelineOutcome
{
    Committed,
    Refused,
    Rescheduled,
    Duplicate,
}

/// <summary>platform.pipeline.handled: messages and requests by handler and outcome.</summary>
public sealed class PipelineMetrics : IDisposable
{
    private readonly Meter meter = new("Platform.Pipeline");
    private readonly Counter<long> handled;

    public PipelineMetrics() => handled = meter.CreateCounter<long>("platform.pipeline.handled", description: "Messages and requests handled, by handler and outcome");

    public void Handled(string handler, PipelineOutcome outcome) =>
        handled.Add(1, new KeyValuePair<string, object?>("handler", handler), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void Dispose() => meter.Dispose();
}
