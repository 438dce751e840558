using Platform.Domain;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;

namespace RepairDispatch.Service.RepairJobs;

/// <summary>
/// Who may see and act on a job (docs/domain.md "Who may do what"): only the provider it is with, and the one
/// that held it last once it ended. To anyone else a job is absent, with the same answer as one that does not exist.
/// </summary>
public static class JobAccess
{
    public static IResult NoJob(Guid jobId) => Problems.NotFound($"No repair job {jobId} that you may see.");

    /// <summary>
    /// The refusals that say the job is not the caller's to act on, answered as absent. A provider whose callback
    /// deadline passed learns so instead: that is its own attempt, and the deadline's code tells it why.
    /// </summary>
    public static bool NotTheCallers(Refusal refusal) =>
        refusal.Is(RepairDispatchRefusalCode.JobNotFound) || refusal.Is(RepairDispatchRefusalCode.NotYourJob)
        || refusal.Is(RepairDispatchRefusalCode.AttemptSuperseded);
}
