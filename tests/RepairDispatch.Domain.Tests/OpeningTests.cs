using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobCommand;
using static RepairDispatch.Domain.RepairJobEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

public class OpeningTests
{
    [Fact]
    public void An_approved_claim_opens_the_job_and_dispatches_attempt_one_to_the_best_provider() =>
        Specs.Job()
            .When(new OpenForApprovedClaim(JobId, ClaimId, Request, RepairPayer.Brand, ABC, T0))
            .Then(
                Opened(),
                new RepairJobDispatched(JobId, 1, "A", Source, Request, RepairPayer.Brand, T0, T0.AddHours(24)));

    [Fact]
    public void A_ruling_opens_a_job_at_the_platforms_cost()
    {
        var ruling = new RepairSource(RepairSourceKind.ArbitrationRuling, CaseId);
        Specs.Job()
            .When(new OpenForRuling(JobId, CaseId, Request, ABC, T0))
            .Then(
                new RepairJobOpened(JobId, ruling, Request, RepairPayer.Platform, T0),
                new RepairJobDispatched(JobId, 1, "A", ruling, Request, RepairPayer.Platform, T0, T0.AddHours(24)));
    }

    [Fact]
    public void The_deadline_follows_the_policy() =>
        Specs.Job(RepairDispatchPolicy.Default with { CallbackSla = TimeSpan.FromHours(4) })
            .When(new OpenForApprovedClaim(JobId, ClaimId, Request, RepairPayer.Brand, ABC, T0))
            .Then(
                Opened(),
                new RepairJobDispatched(JobId, 1, "A", Source, Request, RepairPayer.Brand, T0, T0.AddHours(4)));

    [Fact]
    public void With_no_eligible_provider_the_job_opens_escalated() =>
        Specs.Job()
            .When(new OpenForApprovedClaim(JobId, ClaimId, Request, RepairPayer.Brand, [Candidate("A", region: "ZJ")], T0))
            .Then(
                Opened(),
                Escalated(EscalationReason.NoEligibleProvider,
                    "No active provider with free capacity serves region GD and category home-appliance.", 0, null, T0));

    [Fact]
    public void The_same_claim_delivered_again_changes_nothing() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0))
            .When(new OpenForApprovedClaim(JobId, ClaimId, Request, RepairPayer.Brand, ABC, At(1)))
            .ThenNothing();

    [Fact]
    public void A_different_claim_under_the_same_job_id_is_refused() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0))
            .When(new OpenForApprovedClaim(JobId, Guid.NewGuid(), Request, RepairPayer.Brand, ABC, At(1)))
            .ThenRefused(RepairDispatchRefusalCode.JobAlreadyOpened);
}
