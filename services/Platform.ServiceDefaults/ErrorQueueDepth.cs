using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.ServiceDefaults;

/// <summary>
/// platform.messages.error_queue.depth: the messages waiting in each of this service's _error
/// queues, by queue. The dead-letter counter says how many went there; only the broker knows how
/// many are still there after operators moved some back. Read by a passive declare on a connection
/// of its own every <see cref="PlatformHealth.PublishPeriod"/>; while the broker is away there is
/// no reading, rather than a stale one.
/// </summary>
public sealed class ErrorQueueDepth : BackgroundService
{
    public const string MeterName = "Platform.Messaging.Queues";
    public const string DepthName = "platform.messages.error_queue.depth";

    private readonly PlatformSettings settings;
    private readonly EndpointDefaults endpoints;
    private readonly ILogger<ErrorQueueDepth> logger;
    private readonly ConcurrentDictionary<string, long> depths = new(StringComparer.Ordinal);
    private IConnection? connection;

    public ErrorQueueDepth(PlatformSettings settings, EndpointDefaults endpoints, IMeterFactory meters, ILogger<ErrorQueueDepth> logger)
    {
        this.settings = settings;
        this.endpoints = endpoints;
        this.logger = logger;
        meters.Create(MeterName).CreateObservableGauge(DepthName,
            () => depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key + "_error"))),
            "{message}", "Messages waiting in the service's _error queues, by queue");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PlatformHealth.PublishPeriod);
        try
        {
            do
            {
                try
                {
                    await Sample(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug(e, "The _error queues' depths could not be read; no reading until the broker answers");
                    depths.Clear();
                    await Disconnect();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await Disconnect();
        }
    }

    private async Task Sample(CancellationToken ct)
    {
        connection ??= await settings.RabbitConnectionFactory("error-queue-depth").CreateConnectionAsync(ct);
        foreach (var queue in endpoints.Queues)
        {
            // A passive declare of an absent queue closes its channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                depths[queue] = (await channel.QueueDeclarePassiveAsync(queue + "_error", ct)).MessageCount;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
            {
                // MassTransit declares an _error queue when it first moves a message there.
                depths[queue] = 0;
            }
        }
    }

    private async Task Disconnect()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }
}
