namespace Platform.EventSourcing;

public static class Conflicts
{
    /// <summary>
    /// Runs a unit of work again from a fresh load when another writer got to the stream first, as
    /// the bus does for consumers; an API call uses it so a lost race is decided again rather than
    /// shown to the caller. After <paramref name="attempts"/> losses, <paramref name="exhausted"/> answers.
    /// </summary>
    public static async Task<T> Retry<T>(Func<Task<T>> attempt, int attempts, Func<StreamConcurrencyException, T> exhausted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (StreamConcurrencyException e) when (i >= attempts)
            {
                return exhausted(e);
            }
            catch (StreamConcurrencyException)
            {
                // Decided again on the fresh stream.
            }
        }
    }
}
