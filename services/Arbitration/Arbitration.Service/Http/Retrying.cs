using Microsoft.AspNetCore.Http;
using Platform.EventSourcing;

namespace Arbitration.Service.Http;

/// <summary>Runs one HTTP command again when another writer changed the case between load and commit.</summary>
public static class Retrying
{
    private const int Attempts = 5;

    public static Task<IResult> OnConflict(Func<Task<IResult>> work) =>
        Conflicts.Retry(work, Attempts, _ => Problems.Conflict("ConcurrentChange", "The case kept changing while your request was decided; send it again."));
}
