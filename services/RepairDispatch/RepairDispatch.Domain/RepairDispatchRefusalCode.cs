namespace RepairDispatch.Domain;

/// <summary>
/// Why a repair dispatch decider refused: the <c>code</c> of the refusal log and of the problem a request
/// answers. Members are stored by name in <see cref="RepairJobEvent.UnauthorisedProviderActionRecorded"/>,
/// so a member is never renamed.
/// </summary>
public enum RepairDispatchRefusalCode
{
    JobNotFound,
    JobAlreadyOpened,
    NotYourJob,
    AttemptSuperseded,
    JobCompleted,
    JobEscalated,
    CustomerNotContacted,
    AlreadyContacted,
    DeviceHeldByProvider,
    MissingProviderId,
    CapacityBelowOne,
    NoRegions,
    NoCategories,
    ProviderAlreadyRegistered,
    ProviderNotFound,

    /// <summary>A callback deadline came before its time by this service's clock; it is due again then.</summary>
    CallbackDeadlineNotDue,

    /// <summary>A feedback deadline came before its time by this service's clock; it is due again then.</summary>
    FeedbackDeadlineNotDue,

    /// <summary>The provider's callback deadline passed and was acted on: the job was taken from it.</summary>
    CallbackDeadlinePassed,

    /// <summary>The provider holding the device let the feedback period pass: the job is the platform's now.</summary>
    FeedbackDeadlinePassed,

    /// <summary>An approved claim lacks what a provider must be chosen or briefed with.</summary>
    IncompleteClaim,

    /// <summary>A ruling lacks what a provider must be chosen or briefed with.</summary>
    IncompleteRuling,

    /// <summary>A provider's report by message lacks what its kind of report needs.</summary>
    InvalidReport,

    /// <summary>A decline or progress report coded <c>Other</c> came without the note that must say what it is.</summary>
    NoteRequired,

    /// <summary>A decline or progress report named a reason or progress code that is not on the published list.</summary>
    UnknownReasonCode,

    /// <summary>The provider asked for the buyer's contact on a job that is no longer theirs.</summary>
    ContactWithdrawn,
}
