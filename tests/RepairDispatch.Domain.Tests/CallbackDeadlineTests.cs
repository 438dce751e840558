using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobCommand;
using static RepairDispatch.Domain.RepairJobEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

public class CallbackDeadlineTests
{
    [Fact]
    public void Buyer_contacted_before_the_deadline_means_nothing_happens() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0), Contacted(1, "A", T0, At(3)))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(24)))
            .ThenNothing();

    [Fact]
    public void No_contact_by_the_deadline_is_a_breach_and_the_job_goes_to_the_next_provider() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(24)))
            .Then(
                Breached(1, "A", T0, At(24)),
                Dispatched(2, "B", At(24)));

    [Fact]
    public void The_breach_is_dated_at_the_deadline_even_when_the_deadline_is_processed_late() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(25)))
            .Then(
                new ProviderCallbackSlaBreached(JobId, 1, "A", At(24), At(25)),
                Dispatched(2, "B", At(25)));

    [Fact]
    public void The_third_miss_escalates_the_job_to_the_platform() =>
        Specs.Job()
            .Given(
                Opened(),
                Dispatched(1, "A", T0), Breached(1, "A", T0, At(24)),
                Dispatched(2, "B", At(24)), Breached(2, "B", At(24), At(48)),
                Dispatched(3, "C", At(48)))
            .When(new CallbackDeadlineReached(JobId, 3, [.. ABC, Candidate("D")], At(72)))
            .Then(
                Breached(3, "C", At(48), At(72)),
                Escalated(EscalationReason.MaxAttemptsReached, "All 3 attempts were used (A, B, C).", 3, "C", At(72)));

    [Fact]
    public void The_number_of_attempts_follows_the_policy() =>
        Specs.Job(RepairDispatchPolicy.Default with { MaxAttempts = 2 })
            .Given(Opened(), Dispatched(1, "A", T0), Breached(1, "A", T0, At(24)), Dispatched(2, "B", At(24)))
            .When(new CallbackDeadlineReached(JobId, 2, ABC, At(48)))
            .Then(
                Breached(2, "B", At(24), At(48)),
                Escalated(EscalationReason.MaxAttemptsReached, "All 2 attempts were used (A, B).", 2, "B", At(48)));

    [Fact]
    public void With_no_provider_left_the_job_is_escalated() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0))
            .When(new CallbackDeadlineReached(JobId, 1, [Candidate("A"), Candidate("B", openJobs: 5, capacity: 5)], At(24)))
            .Then(
                Breached(1, "A", T0, At(24)),
                Escalated(EscalationReason.NoEligibleProvider,
                    "No active provider with free capacity serves region GD and category home-appliance that was not tried already.", 1, "A", At(24)));

    [Fact]
    public void A_deadline_that_comes_early_is_due_again_at_the_deadline_and_changes_nothing_now()
    {
        var refusal = Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(23)))
            .ThenRefused(RepairDispatchRefusalCode.CallbackDeadlineNotDue);
        Assert.Equal(At(24), refusal.RetryAt);
    }

    [Fact]
    public void A_deadline_for_an_old_attempt_changes_nothing() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0), new RepairJobDeclined(JobId, 1, "A", "no technician", At(1)), Dispatched(2, "B", At(1)))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(24)))
            .ThenNothing();

    [Fact]
    public void A_deadline_delivered_twice_has_one_effect()
    {
        var spec = Specs.Job().Given(Opened(), Dispatched(1, "A", T0));
        var deadline = new CallbackDeadlineReached(JobId, 1, ABC, At(24));

        var first = spec.When(deadline);
        first.Then(Breached(1, "A", T0, At(24)), Dispatched(2, "B", At(24)));

        spec.Given([.. first.Decision.Events]).When(deadline with { Now = At(24.1) }).ThenNothing();
    }

    [Fact]
    public void A_deadline_after_the_job_was_completed_changes_nothing() =>
        Specs.Job()
            .Given(Opened(), Dispatched(1, "A", T0), new RepairJobCompleted(JobId, 1, "A", RepairOutcome.Repaired, "report", T0, At(5)))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(24)))
            .ThenNothing();

    [Fact]
    public void A_deadline_after_the_job_was_escalated_changes_nothing() =>
        Specs.Job()
            .Given(Opened(), Escalated(EscalationReason.NoEligibleProvider, "none", 0, null, T0))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(24)))
            .ThenNothing();
}
