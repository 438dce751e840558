using MassTransit;

namespace Platform.ServiceDefaults;

/// <summary>
/// What every receive endpoint of a service gets: its dead letters counted and, by setting,
/// replicated quorum queues (a broker cluster loses no message with a node; a single development
/// broker gains nothing from them). MassTransit's endpoint callbacks do not reach an endpoint a
/// service configures by hand, so such an endpoint calls <see cref="Apply"/> itself.
/// </summary>
public sealed class EndpointDefaults(bool quorumQueues)
{
    public void Apply(IReceiveEndpointConfigurator endpoint)
    {
        DeadLetters.Count(endpoint);
        if (quorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }
    }
}
