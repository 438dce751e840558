using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RepairDispatch.Service.Features.Webhooks;

/// <summary>
/// Sends the pending webhook deliveries, each on its own: claimed by a short statement with a lease (FOR UPDATE
/// semantics through the lease's re-check, as <c>Platform.EventSourcing.OutboxRelay</c> claims its rows), posted,
/// then settled: Delivered on a 2xx, which is never sent again unless the provider asks; else backed off
/// exponentially and tried again. A claim takes at most <see cref="WebhookSettings.ConcurrencyPerProvider"/> rows
/// of one provider, counting those in flight, and no delivery waits for another, so an endpoint that hangs or is
/// down holds a few slots and delays nobody else. A worker that dies mid-attempt leaves its rows to another once
/// the lease runs out; that attempt may have reached the receiver, which the Platform-Webhook-Id lets it notice.
/// </summary>
public sealed class WebhookDeliveryWorker : BackgroundService
{
    private readonly NpgsqlDataSource dataSource;
    private readonly WebhookSettings settings;
    private readonly ILogger<WebhookDeliveryWorker> logger;
    private readonly RepairDispatchMetrics metrics;
    private readonly HttpClient http;
    private readonly X509Certificate2Collection trusted;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int inFlight;

    public WebhookDeliveryWorker(NpgsqlDataSource dataSource, RepairDispatchSettings settings, WebhookAddresses addresses, RepairDispatchMetrics metrics,
        ILogger<WebhookDeliveryWorker> logger)
    {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.settings = settings.Webhooks;
        this.logger = logger;
        trusted = this.settings.TrustedCertificates();
        http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = this.settings.AttemptTimeout,
            // A redirect is not an acknowledgement, and following one would send the signed body somewhere unregistered.
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
            ConnectCallback = addresses.Connect,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("platform-repairdispatch-webhooks", "1"));
    }

    /// <summary>
    /// The system's validation, and, for a certificate whose only fault is an unknown root, a second chain built on
    /// the configured roots alone; a wrong name or an expired certificate is refused either way.
    /// </summary>
    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || trusted.Count == 0 || certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = Listen(stoppingToken);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(t => t.IsCompleted);
                var free = settings.Concurrency - Volatile.Read(ref inFlight);
                var claimed = free > 0 ? await Claim(free, stoppingToken) : [];
                foreach (var delivery in claimed)
                {
                    Interlocked.Increment(ref inFlight);
                    running.Add(Task.Run(() => Attempt(delivery, stoppingToken), CancellationToken.None));
                }
                if (claimed.Count > 0 && claimed.Count == free)
                {
                    // Every slot is taken: the next claim waits for one to come free (which wakes this loop).
                    await WaitForWake(Timeout.InfiniteTimeSpan, stoppingToken);
                }
                else if (claimed.Count == 0)
                {
                    await WaitForWake(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Claiming webhook deliveries failed; trying again in {Delay}", settings.PollInterval);
                await Task.Delay(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        await Task.WhenAll(running);
        await listener.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WaitForWake(TimeSpan atMost, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(Task.Delay(atMost, timer.Token), wake.Reader.WaitToReadAsync(timer.Token).AsTask());
        await timer.CancelAsync();
        ct.ThrowIfCancellationRequested();
        wake.Reader.TryRead(out _);
    }

    private sealed record Claimed(Guid Id, string ProviderId, string Body, string Url, string Secret);

    private async Task<List<Claimed>> Claim(int limit, CancellationToken ct)
    {
        // The update re-checks the lease on each row it locks, so of two workers choosing the same row one takes it.
        await using var command = dataSource.CreateCommand("""
            with busy as (
                select provider_id, count(*) as n from webhook_deliveries
                where status = 'Pending' and locked_until > now() group by provider_id),
            candidates as (
                select d.id, d.next_attempt_at,
                    row_number() over (partition by d.provider_id order by d.next_attempt_at, d.id) + coalesce(b.n, 0) as slot
                from webhook_deliveries d left join busy b on b.provider_id = d.provider_id
                where d.status = 'Pending' and d.next_attempt_at <= now() and (d.locked_until is null or d.locked_until <= now())),
            chosen as (
                select id from candidates where slot <= $1 order by next_attempt_at limit $2)
            update webhook_deliveries d set locked_until = now() + $3
            from chosen, webhook_registrations r
            where d.id = chosen.id and r.provider_id = d.provider_id
                and d.status = 'Pending' and (d.locked_until is null or d.locked_until <= now())
            returning d.id, d.provider_id, d.body, r.url, r.secret
            """);
        command.Parameters.Add(new() { Value = settings.ConcurrencyPerProvider });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = settings.Lease });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var claimed = new List<Claimed>();
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(new Claimed(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return claimed;
    }

    private async Task Attempt(Claimed delivery, CancellationToken stoppingToken)
    {
        try
        {
            var attemptedAt = DateTimeOffset.UtcNow;
            var timer = Stopwatch.StartNew();
            var (status, error) = await Post(delivery, stoppingToken);
            if (stoppingToken.IsCancellationRequested && status is null)
            {
                // Cut off by shutdown, not the receiver's fault: the lease hands it to the next worker.
                return;
            }
            // Not the stopping token: a 2xx the receiver gave must be recorded, or the delivery would go out again.
            await Settle(delivery, attemptedAt, (int)timer.ElapsedMilliseconds, status, error, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Webhook delivery {DeliveryId} to {ProviderId} was not settled; it is tried again when its lease runs out", delivery.Id, delivery.ProviderId);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
            wake.Writer.TryWrite(true);
        }
    }

    private async Task<(int? Status, string? Error)> Post(Claimed delivery, CancellationToken stoppingToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        // The receiver checks the timestamp against its own clock, which no compressed business clock shares: real time.
        var timestamp = WebhookSignature.Timestamp(DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, delivery.Id.ToString("D"));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(delivery.Secret, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.AttemptTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (code, null) : (code, $"The endpoint answered {code} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return (null, $"No answer within {settings.AttemptTimeout}.");
        }
        catch (OperationCanceledException)
        {
            return (null, "The service stopped during the attempt.");
        }
        catch (HttpRequestException e)
        {
            return (null, e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message);
        }
    }

    private async Task Settle(Claimed delivery, DateTimeOffset attemptedAt, int durationMs, int? status, string? error, CancellationToken ct)
    {
        var delivered = status is >= 200 and < 300;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(delivered
            ? Command("""
                update webhook_deliveries set status = 'Delivered', attempts = attempts + 1, failures = 0, settled_at = now(),
                    locked_until = null, last_status_code = $2, last_error = null
                where id = $1
                """, delivery.Id, status)
            : Command("""
                update webhook_deliveries set attempts = attempts + 1, failures = failures + 1, locked_until = null,
                    last_status_code = $2, last_error = $3, next_attempt_at = now() + least($4 * power(2, least(failures, 30)), $5)
                where id = $1
                """, delivery.Id, status, error, settings.RetryDelay, settings.MaxRetryDelay));
        batch.BatchCommands.Add(Command(
            "insert into webhook_attempts (delivery_id, attempted_at, status_code, error, duration_ms) values ($1, $2, $3, $4, $5)",
            delivery.Id, attemptedAt, status, error, durationMs));
        await batch.ExecuteNonQueryAsync(ct);
        metrics.WebhookAttempt(delivery.ProviderId, delivered);
        if (!delivered && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Webhook delivery {DeliveryId} to {ProviderId} failed ({Error}); it is tried again later", delivery.Id, delivery.ProviderId, error);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value ?? DBNull.Value });
        }
        return command;
    }

    private async Task Listen(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => wake.Writer.TryWrite(true);
                await using (var listen = new NpgsqlCommand($"listen {WebhookEvents.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                wake.Writer.TryWrite(true);
                while (!ct.IsCancellationRequested && connection.FullState == System.Data.ConnectionState.Open)
                {
                    await connection.WaitAsync(TimeSpan.FromSeconds(30), ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogInformation(e, "The webhook listener lost its connection; reconnecting");
                await Task.Delay(settings.PollInterval, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
