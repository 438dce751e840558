namespace Arbitration.Domain;

public sealed record ArbitratorLoad(string ArbitratorId, int OpenCases);

public static class ArbitratorSelection
{
    /// <summary>The arbitrator with the fewest open cases, ties broken by id; null when there is none.</summary>
    public static string? ChooseArbitrator(IEnumerable<ArbitratorLoad> arbitrators) =>
        arbitrators
            .OrderBy(arbitrator => arbitrator.OpenCases)
            .ThenBy(arbitrator => arbitrator.ArbitratorId, StringComparer.Ordinal)
            .FirstOrDefault()?.ArbitratorId;
}
