using System.Text.Json.Serialization;

namespace Arbitration.Domain;

/// <summary>The remedy a claim asked for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimRemedy>))]
public enum ClaimRemedy
{
    Return,
    Replacement,
    Repair,
}

/// <summary>What brought the case: it fixes the respondent and the remedy a default ruling gives.</summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(ClaimRefusedByMerchant), nameof(ClaimRefusedByMerchant))]
[JsonDerivedType(typeof(ClaimRejected), nameof(ClaimRejected))]
[JsonDerivedType(typeof(ReopenDenied), nameof(ReopenDenied))]
[JsonDerivedType(typeof(RepairJobEscalated), nameof(RepairJobEscalated))]
public abstract record CaseOrigin
{
    public abstract Respondent WhoAnswers();

    public abstract Remedy RemedyByDefault();

    /// <summary>A readable reason when a required field is missing, else null.</summary>
    internal abstract string? MissingField();

    /// <summary>The buyer escalates a claim the merchant refused; the merchant answers.</summary>
    public sealed record ClaimRefusedByMerchant(Guid ClaimId, string MerchantId, ClaimRemedy AskedRemedy) : CaseOrigin
    {
        public override Respondent WhoAnswers() => new(ActorRole.Merchant, MerchantId);

        public override Remedy RemedyByDefault() => Approve(AskedRemedy);

        internal override string? MissingField() =>
            ClaimId == Guid.Empty ? "the claim id is missing"
            : string.IsNullOrWhiteSpace(MerchantId) ? "the merchant is missing"
            : AskedRemedyMissing(AskedRemedy);
    }

    /// <summary>
    /// The buyer appeals a rejected claim. docs/domain.md names two respondents only, the merchant and the
    /// platform's repair operations; the merchant answers, as it would carry out the remedy asked.
    /// </summary>
    public sealed record ClaimRejected(Guid ClaimId, string MerchantId, ClaimRemedy AskedRemedy, string RejectionReason) : CaseOrigin
    {
        public override Respondent WhoAnswers() => new(ActorRole.Merchant, MerchantId);

        public override Remedy RemedyByDefault() => Approve(AskedRemedy);

        internal override string? MissingField() =>
            ClaimId == Guid.Empty ? "the claim id is missing"
            : string.IsNullOrWhiteSpace(MerchantId) ? "the merchant is missing"
            : string.IsNullOrWhiteSpace(RejectionReason) ? "the rejection reason is missing"
            : AskedRemedyMissing(AskedRemedy);
    }

    /// <summary>The buyer appeals a denied reopen of the after-sales entry; the merchant, whose entry it is, answers.</summary>
    public sealed record ReopenDenied(Guid RequestId, string MerchantId, string DenialReason) : CaseOrigin
    {
        public override Respondent WhoAnswers() => new(ActorRole.Merchant, MerchantId);

        public override Remedy RemedyByDefault() => new Remedy.ReopenEntry();

        internal override string? MissingField() =>
            RequestId == Guid.Empty ? "the reopen request id is missing"
            : string.IsNullOrWhiteSpace(MerchantId) ? "the merchant is missing"
            : string.IsNullOrWhiteSpace(DenialReason) ? "the denial reason is missing"
            : null;
    }

    /// <summary>No provider repaired in time; the platform guarantees the service and its repair operations answer.</summary>
    /// <param name="ClaimId">The approved claim the job served, when it came from one.</param>
    /// <param name="RulingCaseId">The case whose ruling ordered the job, when a ruling did.</param>
    public sealed record RepairJobEscalated(Guid JobId, Guid? ClaimId, Guid? RulingCaseId = null) : CaseOrigin
    {
        public override Respondent WhoAnswers() => new(ActorRole.PlatformRepairOperations, null);

        /// <summary>
        /// A repair at the platform's cost, unless a ruling already ordered one and it failed too:
        /// ordering it again would only escalate again, so the platform refunds instead.
        /// </summary>
        public override Remedy RemedyByDefault() => RulingCaseId is null ? new Remedy.RepairAtPlatformCost() : new Remedy.Refund();

        internal override string? MissingField() => JobId == Guid.Empty ? "the repair job id is missing" : null;
    }

    // Approving a claim as asked: a return is a refund; a repair the respondent would not do is done
    // by the platform's providers at the platform's cost (recovering it from a merchant is outside this system).
    private static Remedy Approve(ClaimRemedy asked) => asked switch
    {
        ClaimRemedy.Return => new Remedy.Refund(),
        ClaimRemedy.Replacement => new Remedy.Replacement(),
        ClaimRemedy.Repair => new Remedy.RepairAtPlatformCost(),
        _ => throw new ArgumentOutOfRangeException(nameof(asked), asked, "Unknown claim remedy"),
    };

    private static string? AskedRemedyMissing(ClaimRemedy asked) =>
        Enum.IsDefined(asked) ? null : $"the remedy asked ({(int)asked}) is not one of {string.Join(", ", Enum.GetNames<ClaimRemedy>())}";
}
