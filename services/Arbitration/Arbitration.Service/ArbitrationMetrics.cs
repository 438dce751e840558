using System.Diagnostics.Metrics;
using Arbitration.Domain;
using Arbitration.Service.Cases;
using Arbitration.Service.ReadModels;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.ServiceDefaults;

namespace Arbitration.Service;

/// <summary>
/// The service's business metrics (Meter "Platform.Arbitration"): cases opened by origin, rulings by
/// outcome and default flag, and the number of stale cases, the one operators are paged on.
/// </summary>
public sealed class ArbitrationMetrics
{
    public const string MeterName = "Platform.Arbitration";
    public const string CasesOpenedName = "platform.arbitration.cases_opened";
    public const string RulingsName = "platform.arbitration.rulings";
    public const string StaleCasesName = "platform.arbitration.stale_cases";

    // The gauge is read on the exporter's thread; a database that does not answer quickly gives no
    // reading rather than a stalled export of every other metric.
    private static readonly TimeSpan StaleCountTimeout = TimeSpan.FromSeconds(5);

    private readonly Counter<long> casesOpened;
    private readonly Counter<long> rulings;
    private readonly PaymentInstructions compensations;
    private readonly NpgsqlDataSource dataSource;
    private readonly ArbitrationPolicy policy;
    private readonly TimeProvider clock;
    private readonly ILogger<ArbitrationMetrics> logger;

    public ArbitrationMetrics(IMeterFactory meters, NpgsqlDataSource dataSource, ArbitrationPolicy policy, TimeProvider clock, ILogger<ArbitrationMetrics> logger)
    {
        this.dataSource = dataSource;
        this.policy = policy;
        this.clock = clock;
        this.logger = logger;
        var meter = meters.Create(MeterName);
        casesOpened = meter.CreateCounter<long>(CasesOpenedName, "{case}", "Arbitration cases opened, by origin");
        rulings = meter.CreateCounter<long>(RulingsName, "{ruling}", "Rulings issued, by the side they favour, the remedy, and whether the respondent lost by default");
        compensations = new PaymentInstructions(meter, "compensation");
        meter.CreateObservableGauge(StaleCasesName, ObserveStaleCases, "{case}", "Cases open without a ruling for longer than Arbitration:StaleAfter");
    }

    /// <summary>Counts what a committed unit of work recorded; called only after the commit, so a retried one counts once.</summary>
    public void Count(IReadOnlyList<CaseEvent> recorded)
    {
        foreach (var @event in recorded)
        {
            switch (@event)
            {
                case CaseEvent.CaseOpened opened:
                    casesOpened.Add(1, new KeyValuePair<string, object?>("origin", ContractMapping.Origin(opened.Origin).ToString()));
                    break;
                case CaseEvent.CompensationInstructed:
                    compensations.Instructed();
                    break;
                case CaseEvent.PaymentConfirmed:
                    compensations.Confirmed();
                    break;
                case CaseEvent.PaymentFailed:
                    compensations.Failed();
                    break;
                case CaseEvent.CaseRuled ruled:
                    var (inFavourOf, remedy, _) = ContractMapping.VerdictOf(ruled.Verdict);
                    rulings.Add(1,
                        new KeyValuePair<string, object?>("in_favour_of", inFavourOf.ToString()),
                        new KeyValuePair<string, object?>("remedy", remedy?.ToString() ?? "none"),
                        new KeyValuePair<string, object?>("default", ruled.ArbitratorId is null));
                    break;
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveStaleCases()
    {
        long count;
        try
        {
            count = CaseList.CountOpenSince(dataSource, clock.GetUtcNow() - policy.StaleAfter, StaleCountTimeout);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(e, "Stale cases could not be counted; the gauge skips this reading");
            return [];
        }
        return [new Measurement<long>(count)];
    }
}
