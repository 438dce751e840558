using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RepairDispatch.Service.Features.BuyerContact;

/// <summary>
/// Releases at the vendor every virtual number whose attempt is no longer its job's current one in progress (the job
/// was redispatched, completed or escalated), every <c>RepairDispatch__VirtualNumbers__ReleaseInterval</c>. The vendor
/// is called outside the job's unit of work, which must not wait on it; a release that fails is tried again next round.
/// </summary>
public sealed class VirtualNumberReleaser(NpgsqlDataSource dataSource, IVirtualNumbers vendor, RepairDispatchSettings settings, TimeProvider clock,
    ILogger<VirtualNumberReleaser> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.VirtualNumbers.ReleaseInterval);
        try
        {
            do
            {
                try
                {
                    while (await ReleaseDue(stoppingToken) == Batch)
                    {
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Releasing virtual numbers failed; trying again in {Interval}.", settings.VirtualNumbers.ReleaseInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One batch, locked so that two instances of the service never release the same number at once.</summary>
    public async Task<int> ReleaseDue(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var due = new List<(Guid JobId, int Attempt, string BindingId)>();
        await using (var select = new NpgsqlCommand($"""
            select c.job_id, c.attempt, c.binding_id from contact_numbers c join repair_jobs j on j.job_id = c.job_id
            where c.released_at is null and (j.status <> 'InProgress' or j.attempt is distinct from c.attempt)
            limit {Batch} for update of c skip locked
            """, connection, transaction))
        {
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2)));
            }
        }
        foreach (var (jobId, attempt, bindingId) in due)
        {
            await vendor.Release(bindingId, ct);
            await using var update = new NpgsqlCommand("update contact_numbers set released_at = $3 where job_id = $1 and attempt = $2", connection, transaction);
            update.Parameters.Add(new() { Value = jobId });
            update.Parameters.Add(new() { Value = attempt });
            update.Parameters.Add(new() { Value = clock.GetUtcNow() });
            await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return due.Count;
    }
}
