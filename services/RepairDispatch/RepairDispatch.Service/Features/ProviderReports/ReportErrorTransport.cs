using System.Reflection;
using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.RabbitMqTransport.Middleware;
using MassTransit.Transports;

namespace RepairDispatch.Service.Features.ProviderReports;

/// <summary>
/// Moves a report the endpoint cannot take to its _error queue without the provider's AMQP user_id.
/// MassTransit's own move copies every property, and the broker refuses this service's user a message
/// naming another user (406, which closes the channel): the report would come back for ever, and with
/// it every report in flight on that channel. The move is MassTransit's otherwise, to the same exchange
/// declared the same way; only its exchange and topology are read from MassTransit's transport.
/// </summary>
public sealed class ReportErrorTransport : RabbitMqMoveTransport<ErrorSettings>, IErrorTransport
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    private ReportErrorTransport(string exchange, ConfigureRabbitMqTopologyFilter<ErrorSettings> topologyFilter)
        : base(exchange, topologyFilter)
    {
    }

    public Task Send(ExceptionReceiveContext context) =>
        Move(context, (properties, headers) =>
        {
            headers.CopyFrom(context.ExceptionHeaders);
            properties.Expiration = null;
            properties.UserId = null;
        });

    /// <summary>The move to _error for the reports endpoint's error pipe, in place of MassTransit's.</summary>
    public static IFilter<ExceptionReceiveContext> MoveToError() => new Filter();

    private static ReportErrorTransport From(IErrorTransport massTransit)
    {
        var type = typeof(RabbitMqMoveTransport<ErrorSettings>);
        return new ReportErrorTransport(
            (string)type.GetField("_exchange", Private)!.GetValue(massTransit)!,
            (ConfigureRabbitMqTopologyFilter<ErrorSettings>)type.GetField("_topologyFilter", Private)!.GetValue(massTransit)!);
    }

    private sealed class Filter : IFilter<ExceptionReceiveContext>
    {
        private ReportErrorTransport? transport;

        public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
        {
            transport ??= From(context.GetPayload<IErrorTransport>());
            await transport.Send(context);
            await next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("moveFaultWithoutUserId");
    }
}
