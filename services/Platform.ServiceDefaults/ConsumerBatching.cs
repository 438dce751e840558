using MassTransit;

namespace Platform.ServiceDefaults;

/// <summary>
/// How a consumer that takes its messages in batches collects them: at most
/// <see cref="MessageLimit"/> (PLATFORM_CONSUMER_BATCH_SIZE), waiting at most <see cref="TimeLimit"/>
/// (PLATFORM_CONSUMER_BATCH_WAIT_MS) after the first, with <see cref="ConcurrencyLimit"/> batches in
/// hand (PLATFORM_CONSUMER_BATCHES). A batch costs the database about what one message does, so under load the wait pays for
/// itself many times; a lone message is delayed by the wait at most.
/// </summary>
public sealed record ConsumerBatching(int MessageLimit, TimeSpan TimeLimit, int ConcurrencyLimit)
{
    public static readonly ConsumerBatching Default = new(100, TimeSpan.FromMilliseconds(5), 2);

    public void Apply<TConsumer>(IConsumerConfigurator<TConsumer> consumer)
        where TConsumer : class =>
        consumer.Options<BatchOptions>(o => o
            .SetMessageLimit(MessageLimit)
            .SetTimeLimit(TimeLimit)
            .SetConcurrencyLimit(ConcurrencyLimit));
}
