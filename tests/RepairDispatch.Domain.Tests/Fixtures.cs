using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobEvent;

namespace RepairDispatch.Domain.Tests;

/// <summary>One job, its providers and the instants the tests speak of.</summary>
internal static class Fixtures
{
    public static readonly Guid JobId = Guid.Parse("6f1c2a4e-0000-4000-8000-000000000001");
    public static readonly Guid ClaimId = Guid.Parse("6f1c2a4e-0000-4000-8000-0000000000c1");
    public static readonly Guid CaseId = Guid.Parse("6f1c2a4e-0000-4000-8000-0000000000a1");

    public static readonly RepairRequest Request = new(
        OrderId: "O-1001", LineId: "L-1", BuyerId: "buyer-7", Region: "GD", Category: "home-appliance",
        Brand: "Midea", Sku: "SKU-AC-09", Title: "Midea air conditioner KFR-35", Fault: "QualityFault");

    public static readonly RepairSource Source = new(RepairSourceKind.ApprovedClaim, ClaimId);

    public static readonly DateTimeOffset T0 = new(2025, 3, 9, 2, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Sla = RepairDispatchPolicy.Default.CallbackSla;

    public static DateTimeOffset At(double hours) => T0.AddHours(hours);

    public static ProviderCandidate Candidate(string id, double score = 50, int openJobs = 0, int capacity = 5,
        ProviderStatus status = ProviderStatus.Active, string region = "GD", string category = "home-appliance") =>
        new(id, status, [region], [category], capacity, openJobs, score);

    /// <summary>A, B and C are eligible, and selection prefers them in that order.</summary>
    public static readonly ProviderCandidate[] ABC = [Candidate("A", score: 90), Candidate("B", score: 80), Candidate("C", score: 70)];

    public static RepairJobOpened Opened(DateTimeOffset? at = null) =>
        new(JobId, Source, Request, RepairPayer.Brand, at ?? T0);

    public static RepairJobDispatched Dispatched(int attempt, string provider, DateTimeOffset at) =>
        new(JobId, attempt, provider, Source, Request, RepairPayer.Brand, at, at + Sla);

    public static CustomerContacted Contacted(int attempt, string provider, DateTimeOffset dispatchedAt, DateTimeOffset at, bool onTime = true) =>
        new(JobId, attempt, provider, BookedFor, dispatchedAt, at, onTime);

    public static ProviderCallbackSlaBreached Breached(int attempt, string provider, DateTimeOffset dispatchedAt, DateTimeOffset recordedAt) =>
        new(JobId, attempt, provider, dispatchedAt + Sla, recordedAt);

    public static RepairJobEscalated Escalated(EscalationReason reason, string detail, int attempts, string? lastProvider, DateTimeOffset at) =>
        new(JobId, reason, detail, Source, Request, RepairPayer.Brand, attempts, lastProvider, at);

    public static readonly DateTimeOffset BookedFor = new(2025, 3, 11, 1, 0, 0, TimeSpan.Zero);
}
