using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.EventSourcing;

/// <summary>A table pruned of rows whose <paramref name="Column"/> is older than <paramref name="Window"/>; the column needs an index.</summary>
public sealed record RetainedTable(string Table, string Column, TimeSpan Window);

public sealed class RetentionOptions
{
    /// <summary>
    /// The least window a table may be given: an inbox row must outlive every redelivery of its
    /// message (a broker backlog after an outage, a message moved back from _error days later), or
    /// the redelivery is applied a second time.
    /// </summary>
    public static readonly TimeSpan MinimumWindow = TimeSpan.FromDays(1);

    /// <summary>How often the tables are pruned (real time).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so that no delete holds locks or bloats the WAL for long.</summary>
    public int ChunkSize { get; set; } = 5_000;

    public TimeSpan InboxWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Refusals, and with them the outbox rows the relay set aside, which an operator can retry until then.</summary>
    public TimeSpan RefusalWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The service's own tables (idempotency records, a read model's samples).</summary>
    public List<RetainedTable> Tables { get; } = [];

    public IReadOnlyList<RetainedTable> All() =>
        [new("inbox", "processed_at", InboxWindow), new("refusals", "refused_at", RefusalWindow), .. Tables];
}

/// <summary>
/// Deletes the rows of the retained tables older than their windows, by the database's clock: the
/// windows are real days. Rows stamped by a compressed service clock carry times ahead of the
/// database's, so a demo or test run keeps them rather than pruning them early.
/// </summary>
public sealed class Retention : BackgroundService
{
    private readonly PlumbingDataSource plumbing;
    private readonly RetentionOptions options;
    private readonly ILogger<Retention> logger;

    public Retention(PlumbingDataSource plumbing, RetentionOptions options, ILogger<Retention> logger)
    {
        if (options.All().FirstOrDefault(t => t.Window < RetentionOptions.MinimumWindow) is { } tooShort)
        {
            throw new InvalidOperationException($"The retention window of {tooShort.Table} ({tooShort.Window}) is shorter than {RetentionOptions.MinimumWindow}.");
        }
        this.plumbing = plumbing;
        this.options = options;
        this.logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        do
        {
            try
            {
                var deleted = await Prune(plumbing.DataSource, options, stoppingToken);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Retention deleted old rows: {Deleted}", deleted);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Retention failed; it runs again in {Interval}", options.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    /// <summary>Deletes, chunk by chunk, each table's rows older than its window; returns how many per table.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> Prune(NpgsqlDataSource dataSource, RetentionOptions options, CancellationToken ct)
    {
        var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in options.All())
        {
            // ctid and a limit: one index range scan per chunk, each chunk its own short transaction.
            await using var command = dataSource.CreateCommand($"""
                delete from {table.Table} where ctid = any(array(
                    select ctid from {table.Table} where {table.Column} < now() - $1 limit $2))
                """);
            command.Parameters.Add(new() { Value = table.Window });
            command.Parameters.Add(new() { Value = options.ChunkSize });
            long total = 0;
            int chunk;
            do
            {
                chunk = await command.ExecuteNonQueryAsync(ct);
                total += chunk;
            }
            while (chunk == options.ChunkSize);
            deleted[table.Table] = total;
        }
        return deleted;
    }
}
