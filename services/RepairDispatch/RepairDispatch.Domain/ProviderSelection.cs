namespace RepairDispatch.Domain;

public enum ProviderStatus
{
    Active,
    Suspended,
}

/// <summary>
/// A provider as selection sees it at one moment: its registration, its open jobs (from the
/// service's read model) and its current quality score (<see cref="QualityScore.Of"/>).
/// </summary>
public sealed record ProviderCandidate(
    string ProviderId,
    ProviderStatus Status,
    IReadOnlyCollection<string> Regions,
    IReadOnlyCollection<string> Categories,
    int Capacity,
    int OpenJobs,
    double QualityScore);

public static class ProviderSelection
{
    /// <summary>
    /// The provider a job goes to next: active, serving the job's region and category, below capacity
    /// and not tried before on this job; the highest quality score first, then the fewest open jobs,
    /// then the provider id (ordinal), so the choice is the same on every replay. None when no one fits.
    /// </summary>
    public static ProviderCandidate? Select(
        IEnumerable<ProviderCandidate> candidates,
        string region,
        string category,
        IReadOnlyCollection<string> alreadyTried) =>
        candidates
            .Where(p => p.Status == ProviderStatus.Active
                && p.Regions.Contains(region, StringComparer.Ordinal)
                && p.Categories.Contains(category, StringComparer.Ordinal)
                && p.OpenJobs < p.Capacity
                && !alreadyTried.Contains(p.ProviderId, StringComparer.Ordinal))
            .OrderByDescending(p => p.QualityScore)
            .ThenBy(p => p.OpenJobs)
            .ThenBy(p => p.ProviderId, StringComparer.Ordinal)
            .FirstOrDefault();
}
