namespace Platform.EventSourcing.Pipeline;

/// <summary>
/// A table that enforces an invariant across streams (a claim id used once, a provider's capacity,
/// one job per claim) was taken by another unit of work since this one read it. Like a lost append,
/// the whole decision is made again from a fresh load, which then sees the other's work; the
/// pipelines and the bus retry it within the same budget.
/// </summary>
public sealed class InvariantConflictException(string table, string key)
    : Exception($"'{key}' in {table} was taken by another unit of work since it was read.")
{
    public string Table { get; } = table;
    public string Key { get; } = key;
}
