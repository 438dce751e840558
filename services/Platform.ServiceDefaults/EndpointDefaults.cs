using System.Collections.Concurrent;
using MassTransit;

namespace Platform.ServiceDefaults;

/// <summary>
/// What every receive endpoint of a service gets: a message no consumer takes, or one larger than
/// <paramref name="maxMessageBytes"/>, sent to _error with its reason (<see cref="ReceiveGuards"/>);
/// its dead letters counted; and, by setting, replicated quorum queues (a broker cluster loses no
/// message with a node; a single development broker gains nothing from them). MassTransit's endpoint
/// callbacks do not reach an endpoint a service configures by hand, so such an endpoint calls
/// <see cref="Apply"/> itself.
/// </summary>
/// <param name="maxMessageBytes">Far above the platform's own messages: an order of a hundred lines is some tens of kilobytes.</param>
public sealed class EndpointDefaults(bool quorumQueues, long maxMessageBytes = EndpointDefaults.DefaultMaxMessageBytes)
{
    public const long DefaultMaxMessageBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<string, bool> queues = new(StringComparer.Ordinal);

    /// <summary>The queues of the endpoints configured so far: whose _error queues <see cref="ErrorQueueDepth"/> watches.</summary>
    public IReadOnlyCollection<string> Queues => [.. queues.Keys];

    public void Apply(IReceiveEndpointConfigurator endpoint, IFilter<ExceptionReceiveContext>? moveToError = null)
    {
        queues.TryAdd(endpoint.InputAddress.AbsolutePath.Split('/')[^1], true);
        ReceiveGuards.Apply(endpoint, maxMessageBytes);
        DeadLetters.Count(endpoint, moveToError);
        if (quorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }
    }
}
