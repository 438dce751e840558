using Warranty.Domain;
using Contract = Platform.Contracts.Warranty.V1;
using Repair = Platform.Contracts.Repair.V1;

namespace Warranty.Service;

/// <summary>
/// The domain's words and the Warranty.V1 contract's, in both directions. The domain names things as
/// docs/domain.md does (三包 is "ThreeGuarantees"); the contract's names are versioned and may not change.
/// </summary>
public static class ContractVocabulary
{
    /// <summary>Refusal code of a consumed message with a field missing, empty or out of range, or two that contradict each other.</summary>
    public const string InvalidMessage = "InvalidMessage";

    /// <summary>Refusal code of a new claim whose id already names a claim on another order line.</summary>
    public const string ClaimIdInUse = "ClaimIdInUse";

    /// <summary>One of docs/domain.md's table coverages; the long-discovery window is not one and has no contract kind.</summary>
    public static Contract.CoverageKind ToContract(CoverageKind kind) => kind switch
    {
        CoverageKind.ThreeGuaranteesReturn => Contract.CoverageKind.StatutoryReturn,
        CoverageKind.ThreeGuaranteesReplacement => Contract.CoverageKind.StatutoryReplacement,
        CoverageKind.ThreeGuaranteesRepair => Contract.CoverageKind.StatutoryRepair,
        CoverageKind.NationalJointWarranty => Contract.CoverageKind.NationalJointWarranty,
        CoverageKind.MerchantCommitment => Contract.CoverageKind.MerchantCommitment,
        CoverageKind.ExtendedWarranty => Contract.CoverageKind.ExtendedWarranty,
        _ => throw Unknown(kind),
    };

    /// <summary>
    /// The coverage a claim is served under. The contract has no long-discovery coverage (the domain adds it to
    /// serve a seed that never sprouted), so such a claim is announced as the statutory remedy it grants,
    /// answered by the merchant like those.
    /// </summary>
    public static Contract.CoverageKind ClaimCoverage(CoverageKind kind, Remedy remedy) => kind == CoverageKind.LongDiscovery
        ? remedy switch
        {
            Remedy.Return => Contract.CoverageKind.StatutoryReturn,
            Remedy.Replacement => Contract.CoverageKind.StatutoryReplacement,
            _ => Contract.CoverageKind.StatutoryRepair,
        }
        : ToContract(kind);

    public static Contract.ResponsibleParty ToContract(Answerer answerer) => answerer switch
    {
        Answerer.Merchant => Contract.ResponsibleParty.Merchant,
        Answerer.Brand => Contract.ResponsibleParty.Brand,
        Answerer.ExtendedWarrantyProgramme => Contract.ResponsibleParty.ExtendedWarrantyProgramme,
        _ => throw Unknown(answerer),
    };

    public static Contract.ShippingPayer ToContract(ShippingPayer payer) => payer switch
    {
        ShippingPayer.Merchant => Contract.ShippingPayer.Merchant,
        ShippingPayer.Brand => Contract.ShippingPayer.Brand,
        ShippingPayer.Platform => Contract.ShippingPayer.Platform,
        _ => throw Unknown(payer),
    };

    public static Contract.FaultKind ToContract(FaultKind fault) => fault switch
    {
        FaultKind.QualityFault => Contract.FaultKind.QualityFault,
        FaultKind.DeadOnArrival => Contract.FaultKind.DeadOnArrival,
        FaultKind.NotAsDescribed => Contract.FaultKind.NotAsDescribed,
        FaultKind.MissingParts => Contract.FaultKind.MissingParts,
        FaultKind.AccidentalDamage => Contract.FaultKind.AccidentalDamage,
        FaultKind.LongDiscoveryDefect => Contract.FaultKind.LongDiscoveryDefect,
        _ => throw Unknown(fault),
    };

    public static FaultKind ToDomain(Contract.FaultKind fault) => fault switch
    {
        Contract.FaultKind.QualityFault => FaultKind.QualityFault,
        Contract.FaultKind.DeadOnArrival => FaultKind.DeadOnArrival,
        Contract.FaultKind.NotAsDescribed => FaultKind.NotAsDescribed,
        Contract.FaultKind.MissingParts => FaultKind.MissingParts,
        Contract.FaultKind.AccidentalDamage => FaultKind.AccidentalDamage,
        Contract.FaultKind.LongDiscoveryDefect => FaultKind.LongDiscoveryDefect,
        _ => throw Unknown(fault),
    };

    public static Contract.Remedy ToContract(Remedy remedy) => remedy switch
    {
        Remedy.Return => Contract.Remedy.Return,
        Remedy.Replacement => Contract.Remedy.Replacement,
        Remedy.Repair => Contract.Remedy.Repair,
        _ => throw Unknown(remedy),
    };

    public static Remedy ToDomain(Contract.Remedy remedy) => remedy switch
    {
        Contract.Remedy.Return => Remedy.Return,
        Contract.Remedy.Replacement => Remedy.Replacement,
        Contract.Remedy.Repair => Remedy.Repair,
        _ => throw Unknown(remedy),
    };

    public static Contract.RequesterRole ToContract(ActingParty party) => party switch
    {
        ActingParty.Buyer => Contract.RequesterRole.Buyer,
        ActingParty.CustomerService => Contract.RequesterRole.CustomerService,
        _ => throw Unknown(party),
    };

    public static ActingParty ToDomain(Contract.RequesterRole role) => role switch
    {
        Contract.RequesterRole.Buyer => ActingParty.Buyer,
        Contract.RequesterRole.CustomerService => ActingParty.CustomerService,
        _ => throw Unknown(role),
    };

    public static Contract.ClaimRejectionReason ToContract(RejectionReason reason) => reason switch
    {
        RejectionReason.EntryClosed => Contract.ClaimRejectionReason.EntryClosed,
        RejectionReason.OutOfWarranty => Contract.ClaimRejectionReason.OutOfWarranty,
        RejectionReason.AccidentalDamageNotCovered => Contract.ClaimRejectionReason.AccidentalDamageNotCovered,
        RejectionReason.NotBuyer => Contract.ClaimRejectionReason.NotBuyer,
        RejectionReason.LineRefunded => Contract.ClaimRejectionReason.LineRefunded,
        RejectionReason.ClaimAlreadyOpen => Contract.ClaimRejectionReason.ClaimAlreadyOpen,
        _ => throw Unknown(reason),
    };

    public static Contract.ReopenGround ToContract(ReopenGround ground) => ground switch
    {
        ReopenGround.ThreeGuarantees => Contract.ReopenGround.WithinStatutoryPeriod,
        ReopenGround.MerchantCommitment => Contract.ReopenGround.WithinMerchantCommitment,
        ReopenGround.LongDiscovery => Contract.ReopenGround.LongDiscoveryDefect,
        ReopenGround.Ruling => Contract.ReopenGround.ArbitrationRuling,
        _ => throw Unknown(ground),
    };

    public static Contract.ReopenDenialReason ToContract(ReopenDenialReason reason) => reason switch
    {
        ReopenDenialReason.BeyondThreeGuaranteesAndCommitment => Contract.ReopenDenialReason.OutsideReopenablePeriods,
        ReopenDenialReason.LongDiscoveryLimitPassed => Contract.ReopenDenialReason.LongDiscoveryWindowPassed,
        ReopenDenialReason.NotLongDiscoveryDefect => Contract.ReopenDenialReason.NotLongDiscoveryDefect,
        ReopenDenialReason.NotBuyer => Contract.ReopenDenialReason.NotBuyer,
        ReopenDenialReason.LineRefunded => Contract.ReopenDenialReason.LineRefunded,
        _ => throw Unknown(reason),
    };

    public static Contract.RefundBasis ToContract(CancellationGround ground) => ground switch
    {
        CancellationGround.BeforeStart => Contract.RefundBasis.FullBeforeCoverageStart,
        CancellationGround.ProRata => Contract.RefundBasis.ProRataRemainingDays,
        CancellationGround.AfterPaidRepair => Contract.RefundBasis.NoneAfterPaidRepair,
        CancellationGround.LineRefunded => Contract.RefundBasis.FullForRefundedLine,
        _ => throw Unknown(ground),
    };

    public static Contract.ClaimResolution ToContract(WarrantyFileEvent.ClaimResolved resolved) => resolved.How switch
    {
        ClaimResolution.RepairCompleted => resolved.Outcome switch
        {
            RepairOutcome.Repaired => Contract.ClaimResolution.Repaired,
            RepairOutcome.Replaced => Contract.ClaimResolution.Replaced,
            RepairOutcome.Unrepairable => Contract.ClaimResolution.Unrepairable,
            _ => throw Unknown(resolved.Outcome),
        },
        ClaimResolution.ReturnAccepted => Contract.ClaimResolution.AcceptedByMerchant,
        ClaimResolution.Ruling => resolved.Ruling == RulingDecision.ForRespondent
            ? Contract.ClaimResolution.RuledForRespondent
            : Contract.ClaimResolution.RuledForBuyer,
        ClaimResolution.LineRefunded => Contract.ClaimResolution.LineRefunded,
        _ => throw Unknown(resolved.How),
    };

    public static RepairOutcome ToDomain(Repair.RepairOutcome outcome) => outcome switch
    {
        Repair.RepairOutcome.Repaired => RepairOutcome.Repaired,
        Repair.RepairOutcome.Replaced => RepairOutcome.Replaced,
        Repair.RepairOutcome.Unrepairable => RepairOutcome.Unrepairable,
        _ => throw Unknown(outcome),
    };

    public static Contract.CalendarPeriod ToContract(LocalPeriod period) => new()
    {
        StartsAt = period.Start,
        EndsBefore = period.End,
        FirstDay = period.FirstDay,
        LastDay = period.LastDay,
    };

    /// <summary>
    /// The after-sales entry as it stands: the base window, held open by 售后保 to the instant the file computes.
    /// That instant is always a local midnight, so its date is the day after the last one open.
    /// </summary>
    public static LocalPeriod EntryWindow(WarrantyFile.Activated file) =>
        file.Calendar.Days(file.BaseEntry.FirstDay, file.Calendar.LocalDateOf(file.EntryClosesAt).AddDays(-1));

    private static ArgumentOutOfRangeException Unknown<T>(T value) =>
        new(typeof(T).Name, value, $"No counterpart for {typeof(T).Name}.{value}.");
}
