using Microsoft.AspNetCore.Http;
using Platform.EventSourcing;

namespace Arbitration.Service.Http;

/// <summary>Runs one HTTP command again when another writer changed the case between load and commit.</summary>
public static class Retrying
{
    private const int Attempts = 5;

    public static async Task<IResult> OnConflict(Func<Task<IResult>> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (StreamConcurrencyException) when (attempt < Attempts)
            {
                // Decided again on the fresh stream, as the bus does for consumers.
            }
            catch (StreamConcurrencyException)
            {
                return Problems.Conflict("ConcurrentChange", "The case kept changing while your request was decided; send it again.");
            }
        }
    }
}
