using System.Globalization;

namespace Platform.Simulator;

/// <summary>One figure read back from the services, against what the run's plan implies.</summary>
/// <param name="AtLeast">The plan fixes only a floor: a provider that calls back just in time under load may still breach.</param>
public sealed record Check(string Figure, int Actual, int Expected, bool AtLeast = false)
{
    public bool Holds => AtLeast ? Actual >= Expected : Actual == Expected;

    public string ExpectedText => AtLeast ? $">= {Expected}" : Expected.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the services say happened in one run, read from their APIs, and whether it is what the plan implies.</summary>
public sealed record SimulationSummary
{
    public required string RunId { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required TimeSpan BusinessTime { get; init; }

    public required int Orders { get; init; }
    public required int OrdersCompleted { get; init; }
    public required int CompletedByBuyer { get; init; }
    public required int CompletedBySystem { get; init; }
    public required int Warranties { get; init; }
    public required int ClaimsFiled { get; init; }

    /// <summary>"Resolved: AcceptedByMerchant", "Rejected: NotBuyer", … (see <see cref="Outcomes"/>).</summary>
    public required IReadOnlyDictionary<string, int> ClaimsByOutcome { get; init; }
    public required int AcceptedBySilence { get; init; }
    public required int EntriesReopened { get; init; }
    public required int ExtendedWarrantiesCancelled { get; init; }

    public required int RepairJobs { get; init; }
    public required int JobsDispatched { get; init; }
    public required int OnTimeCallbacks { get; init; }
    public required int SlaBreaches { get; init; }
    public required int Redispatches { get; init; }
    public required int Escalations { get; init; }
    public required int JobsCompleted { get; init; }

    public required int Cases { get; init; }
    public required int Rulings { get; init; }
    public required int DefaultRulings { get; init; }
    public required int ArbitratorRulings { get; init; }

    /// <summary>What the providers' webhook endpoint received, when they used one (deploy/run.sh).</summary>
    public WebhookFigures? Webhooks { get; init; }

    public required IReadOnlyList<Check> Checks { get; init; }

    /// <summary>What an actor could not do, or was still waiting for at the deadline.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>The run's own ids, for a caller to look at the same records through the APIs.</summary>
    public required IReadOnlyList<string> OrderIds { get; init; }
    public required IReadOnlyList<Guid> ClaimIds { get; init; }
    public required IReadOnlyList<Guid> CaseIds { get; init; }
    public required IReadOnlyList<string> ProviderIds { get; init; }

    /// <summary>Refunds and compensation the services instructed, those the trade system confirmed paid, and their amounts in fen.</summary>
    public required int RefundsInstructed { get; init; }
    public required int RefundsPaid { get; init; }
    public required int RefundFen { get; init; }
    public required int CompensationsInstructed { get; init; }
    public required int CompensationsPaid { get; init; }
    public required int CompensationFen { get; init; }

    public IEnumerable<Check> Disagreements => Checks.Where(c => !c.Holds);

    public bool Agrees => Problems.Count == 0 && !Disagreements.Any();

    public int Outcome(string outcome) => ClaimsByOutcome.GetValueOrDefault(outcome);

    public void Print(TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Summary of run {RunId}, {Orders} orders, read back from the services' APIs ({Elapsed.TotalSeconds:0} s, {BusinessTime.TotalDays:0.0} business days):"));
        writer.WriteLine($"  {"",-56} {"found",6}  {"expected",-8}");
        foreach (var check in Checks)
        {
            writer.WriteLine($"  {check.Figure,-56} {check.Actual,6}  {check.ExpectedText,-8} {(check.Holds ? "" : "<-- differs")}");
        }
        foreach (var problem in Problems)
        {
            writer.WriteLine($"  problem: {problem}");
        }
        var differing = Disagreements.Count();
        writer.WriteLine(Agrees
            ? $"All {Checks.Count} figures are what the scenario implies."
            : $"{differing} of {Checks.Count} figures differ from what the scenario implies; {Problems.Count} problem(s).");
    }

    public override string ToString()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Print(writer);
        return writer.ToString();
    }
}
