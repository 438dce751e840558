using Arbitration.Domain;
using Arbitration.Service.ReadModels;
using Platform.EventSourcing;

namespace Arbitration.Service.Cases;

/// <summary>Chooses who gets a new case: the configured arbitrator with the fewest open cases.</summary>
public sealed class ArbitratorRoster(ArbitrationSettings settings)
{
    // Any number in the database's advisory-lock space, fixed: it names "assigning arbitrators".
    private const long AssignmentLock = 0x4152_4249_5452_4154;

    /// <summary>Null when no arbitrator is configured: the case stays unassigned and any arbitrator may rule.</summary>
    public async Task<string?> Choose(Session session, CancellationToken ct)
    {
        if (settings.Arbitrators.Count == 0)
        {
            return null;
        }
        // Held to the end of the unit of work, so that cases opened at the same moment (by any
        // instance) count each other and do not all go to the same least-loaded arbitrator. It is
        // taken in the round trip that counts: every round trip under it lines up the next opening.
        return ArbitratorSelection.ChooseArbitrator(
            await CaseList.OpenCasesPerArbitrator(session, settings.Arbitrators, AssignmentLock, ct));
    }
}
