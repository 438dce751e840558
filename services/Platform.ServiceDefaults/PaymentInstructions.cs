using System.Diagnostics.Metrics;

namespace Platform.ServiceDefaults;

/// <summary>
/// The one metric of money instructions, kept by each service that instructs payments on its own meter under the
/// same name, so that one alert watches refunds and compensations alike: the platform moves no money, and a payment
/// the trade system failed is otherwise seen only by the buyer who was not paid.
/// </summary>
public sealed class PaymentInstructions(Meter meter, string kind)
{
    public const string Name = "platform.payments";

    private readonly Counter<long> counter = meter.CreateCounter<long>(Name, "{instruction}",
        "Payment instructions and the trade system's answers, by kind (refund, compensation) and outcome (instructed, confirmed, failed)");

    public void Instructed() => Add("instructed");

    public void Confirmed() => Add("confirmed");

    public void Failed() => Add("failed");

    private void Add(string outcome) =>
        counter.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
}
