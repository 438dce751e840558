using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobCommand;
using static RepairDispatch.Domain.RepairJobEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

public class ProviderReportTests
{
    private static Spec<RepairJobCommand, RepairJobEvent, RepairJob> WithA() =>
        Specs.Job().Given(Opened(), Dispatched(1, "A", T0));

    private static Spec<RepairJobCommand, RepairJobEvent, RepairJob> ContactedByA() =>
        WithA().Given(Contacted(1, "A", T0, At(2)));

    [Fact]
    public void The_provider_accepts_the_job() =>
        WithA().When(new AcceptJob(JobId, "A", At(1))).Then(new RepairJobAccepted(JobId, 1, "A", At(1)));

    [Fact]
    public void Accepting_twice_changes_nothing() =>
        WithA().Given(new RepairJobAccepted(JobId, 1, "A", At(1))).When(new AcceptJob(JobId, "A", At(2))).ThenNothing();

    [Fact]
    public void A_decline_redispatches_at_once_and_is_not_a_breach() =>
        WithA()
            .When(new DeclineJob(JobId, "A", "no technician free", ABC, At(1), DeclineReasonCode.NoCapacity))
            .Then(
                new RepairJobDeclined(JobId, 1, "A", "no technician free", At(1), DeclineReasonCode.NoCapacity),
                Dispatched(2, "B", At(1)));

    [Fact]
    public void A_decline_on_the_last_attempt_escalates() =>
        Specs.Job()
            .Given(
                Opened(),
                Dispatched(1, "A", T0), Breached(1, "A", T0, At(24)),
                Dispatched(2, "B", At(24)), Breached(2, "B", At(24), At(48)),
                Dispatched(3, "C", At(48)))
            .When(new DeclineJob(JobId, "C", "part unavailable", ABC, At(49)))
            .Then(
                new RepairJobDeclined(JobId, 3, "C", "part unavailable", At(49), DeclineReasonCode.Other),
                Escalated(EscalationReason.MaxAttemptsReached, "All 3 attempts were used (A, B, C).", 3, "C", At(49)));

    [Fact]
    public void A_provider_holding_the_device_cannot_decline() =>
        ContactedByA()
            .Given(new DeviceReceived(JobId, 1, "A", At(30), At(30) + TimeSpan.FromDays(30)))
            .When(new DeclineJob(JobId, "A", "too hard", ABC, At(40)))
            .ThenRefused(RepairDispatchRefusalCode.DeviceHeldByProvider);

    [Fact]
    public void A_provider_the_job_was_never_dispatched_to_is_refused_and_the_attempt_recorded()
    {
        var spec = WithA();
        var before = spec.State;

        var outcome = spec.When(new ReportCustomerContacted(JobId, "B", BookedFor, At(2)));

        var refusal = outcome.ThenRefusedAndRecorded(RepairDispatchRefusalCode.NotYourJob,
            new UnauthorisedProviderActionRecorded(JobId, "B", ProviderAction.ReportCustomerContacted, RepairDispatchRefusalCode.NotYourJob, At(2)));
        Assert.DoesNotContain("A", refusal.Reason.Split(' '));
        Assert.Same(before, spec.Given([.. outcome.Decision.Events]).State);
    }

    [Fact]
    public void A_provider_that_declined_is_refused_as_superseded_and_the_attempt_recorded() =>
        WithA()
            .Given(new RepairJobDeclined(JobId, 1, "A", "no technician free", At(1)), Dispatched(2, "B", At(1)))
            .When(new ReportCompletion(JobId, "A", RepairOutcome.Repaired, "report", At(30)))
            .ThenRefusedAndRecorded(RepairDispatchRefusalCode.AttemptSuperseded,
                new UnauthorisedProviderActionRecorded(JobId, "A", ProviderAction.ReportCompletion, RepairDispatchRefusalCode.AttemptSuperseded, At(30)));

    [Fact]
    public void A_provider_whose_callback_deadline_passed_is_refused_with_that_code_and_the_attempt_recorded() =>
        WithA()
            .Given(Breached(1, "A", T0, At(24)), Dispatched(2, "B", At(24)))
            .When(new ReportCustomerContacted(JobId, "A", BookedFor, At(30)))
            .ThenRefusedAndRecorded(RepairDispatchRefusalCode.CallbackDeadlinePassed,
                new UnauthorisedProviderActionRecorded(JobId, "A", ProviderAction.ReportCustomerContacted, RepairDispatchRefusalCode.CallbackDeadlinePassed, At(30)));

    [Fact]
    public void A_report_on_a_job_that_does_not_exist_is_refused() =>
        Specs.Job().When(new AcceptJob(JobId, "A", At(1))).ThenRefused(RepairDispatchRefusalCode.JobNotFound);

    [Fact]
    public void A_contact_before_the_deadline_is_on_time() =>
        WithA()
            .When(new ReportCustomerContacted(JobId, "A", BookedFor, At(23)))
            .Then(Contacted(1, "A", T0, At(23), onTime: true));

    [Fact]
    public void A_contact_exactly_at_the_deadline_is_on_time() =>
        WithA()
            .When(new ReportCustomerContacted(JobId, "A", BookedFor, At(24)))
            .Then(Contacted(1, "A", T0, At(24), onTime: true));

    [Fact]
    public void A_late_contact_reported_before_the_deadline_ran_is_recorded_late_with_a_breach_and_the_job_stays()
    {
        var spec = WithA();
        spec.When(new ReportCustomerContacted(JobId, "A", BookedFor, At(25)))
            .Then(
                Contacted(1, "A", T0, At(25), onTime: false),
                Breached(1, "A", T0, At(25)));

        spec.Given(Contacted(1, "A", T0, At(25), onTime: false), Breached(1, "A", T0, At(25)))
            .When(new CallbackDeadlineReached(JobId, 1, ABC, At(25.5)))
            .ThenNothing();
        spec.When(new AcceptJob(JobId, "A", At(26))).Then(new RepairJobAccepted(JobId, 1, "A", At(26)));
    }

    [Fact]
    public void The_same_contact_reported_again_changes_nothing() =>
        ContactedByA().When(new ReportCustomerContacted(JobId, "A", BookedFor, At(3))).ThenNothing();

    [Fact]
    public void A_second_contact_with_another_booking_is_refused() =>
        ContactedByA().When(new ReportCustomerContacted(JobId, "A", BookedFor.AddDays(1), At(3))).ThenRefused(RepairDispatchRefusalCode.AlreadyContacted);

    [Fact]
    public void A_device_cannot_be_received_before_the_buyer_was_contacted() =>
        WithA().When(new ReportDeviceReceived(JobId, "A", At(3))).ThenRefused(RepairDispatchRefusalCode.CustomerNotContacted);

    [Fact]
    public void Progress_cannot_be_reported_before_the_buyer_was_contacted() =>
        WithA().When(new ReportProgress(JobId, "A", "diagnosing", At(3))).ThenRefused(RepairDispatchRefusalCode.CustomerNotContacted);

    [Fact]
    public void A_job_cannot_be_completed_before_the_buyer_was_contacted() =>
        WithA().When(new ReportCompletion(JobId, "A", RepairOutcome.Repaired, "report", At(3))).ThenRefused(RepairDispatchRefusalCode.CustomerNotContacted);

    [Fact]
    public void Progress_before_the_device_arrives_owes_no_feedback() =>
        ContactedByA()
            .When(new ReportProgress(JobId, "A", "part ordered", At(5)))
            .Then(new RepairProgressReported(JobId, 1, "A", "part ordered", At(5), NextFeedbackDueAt: null, ProgressCode.Other));

    [Fact]
    public void Completion_closes_the_job() =>
        ContactedByA()
            .When(new ReportCompletion(JobId, "A", RepairOutcome.Replaced, "report", At(50)))
            .Then(new RepairJobCompleted(JobId, 1, "A", RepairOutcome.Replaced, "report", T0, At(50)));

    [Fact]
    public void The_same_completion_reported_again_changes_nothing() =>
        ContactedByA()
            .Given(new RepairJobCompleted(JobId, 1, "A", RepairOutcome.Repaired, "report", T0, At(50)))
            .When(new ReportCompletion(JobId, "A", RepairOutcome.Repaired, "report", At(51)))
            .ThenNothing();

    [Fact]
    public void Another_completion_on_a_completed_job_is_refused() =>
        ContactedByA()
            .Given(new RepairJobCompleted(JobId, 1, "A", RepairOutcome.Repaired, "report", T0, At(50)))
            .When(new ReportCompletion(JobId, "A", RepairOutcome.Unrepairable, "report", At(51)))
            .ThenRefused(RepairDispatchRefusalCode.JobCompleted);

    [Fact]
    public void Any_other_report_on_a_completed_job_is_refused() =>
        ContactedByA()
            .Given(new RepairJobCompleted(JobId, 1, "A", RepairOutcome.Repaired, "report", T0, At(50)))
            .When(new ReportProgress(JobId, "A", "still here", At(51)))
            .ThenRefused(RepairDispatchRefusalCode.JobCompleted);

    [Fact]
    public void A_report_on_a_job_escalated_after_the_providers_decline_is_refused() =>
        WithA()
            .Given(new RepairJobDeclined(JobId, 1, "A", "no technician", At(2)), Escalated(EscalationReason.NoEligibleProvider, "none left", 1, "A", At(2)))
            .When(new ReportCustomerContacted(JobId, "A", BookedFor, At(3)))
            .ThenRefused(RepairDispatchRefusalCode.JobEscalated);

    [Fact]
    public void A_report_on_a_job_escalated_when_the_callback_deadline_passed_is_refused_with_that_code() =>
        WithA()
            .Given(Breached(1, "A", T0, At(24)), Escalated(EscalationReason.NoEligibleProvider, "none left", 1, "A", At(24)))
            .When(new ReportCustomerContacted(JobId, "A", BookedFor, At(26)))
            .ThenRefused(RepairDispatchRefusalCode.CallbackDeadlinePassed);

    [Fact]
    public void A_report_on_a_job_escalated_before_any_dispatch_is_not_the_providers() =>
        Specs.Job()
            .Given(Opened(), Escalated(EscalationReason.NoEligibleProvider, "none", 0, null, T0))
            .When(new AcceptJob(JobId, "A", At(1)))
            .ThenRefusedAndRecorded(RepairDispatchRefusalCode.NotYourJob,
                new UnauthorisedProviderActionRecorded(JobId, "A", ProviderAction.Accept, RepairDispatchRefusalCode.NotYourJob, At(1)));
}
