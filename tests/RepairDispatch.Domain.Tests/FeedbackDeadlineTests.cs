using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobCommand;
using static RepairDispatch.Domain.RepairJobEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

public class FeedbackDeadlineTests
{
    private static readonly TimeSpan Period = RepairDispatchPolicy.Default.DeviceFeedbackDeadline;
    private static readonly DateTimeOffset ReceivedAt = At(30);
    private static readonly DateTimeOffset DueAt = ReceivedAt + Period;

    private static Spec<RepairJobCommand, RepairJobEvent, RepairJob> ContactedByA() =>
        Specs.Job().Given(Opened(), Dispatched(1, "A", T0), Contacted(1, "A", T0, At(2)));

    private static Spec<RepairJobCommand, RepairJobEvent, RepairJob> DeviceWithA() =>
        ContactedByA().Given(new DeviceReceived(JobId, 1, "A", ReceivedAt, DueAt));

    [Fact]
    public void A_received_device_starts_the_feedback_deadline() =>
        ContactedByA()
            .When(new ReportDeviceReceived(JobId, "A", ReceivedAt))
            .Then(new DeviceReceived(JobId, 1, "A", ReceivedAt, ReceivedAt.AddDays(30)));

    [Fact]
    public void The_device_reported_received_again_changes_nothing() =>
        DeviceWithA().When(new ReportDeviceReceived(JobId, "A", At(31))).ThenNothing();

    [Fact]
    public void Without_progress_by_the_deadline_the_job_is_escalated() =>
        DeviceWithA()
            .When(new FeedbackDeadlineReached(JobId, DueAt, DueAt))
            .Then(Escalated(EscalationReason.FeedbackOverdue,
                $"The provider holding the device reported no progress by {DueAt:O}.", 1, "A", DueAt));

    [Fact]
    public void Progress_satisfies_the_deadline_and_owes_the_next_report_a_full_period_later()
    {
        var progressAt = ReceivedAt.AddDays(10);
        var spec = DeviceWithA();
        spec.When(new ReportProgress(JobId, "A", "waiting for the compressor", progressAt))
            .Then(new RepairProgressReported(JobId, 1, "A", "waiting for the compressor", progressAt, progressAt + Period, ProgressCode.Other));

        spec.Given(new RepairProgressReported(JobId, 1, "A", "waiting for the compressor", progressAt, progressAt + Period))
            .When(new FeedbackDeadlineReached(JobId, DueAt, DueAt))
            .ThenNothing();
    }

    [Fact]
    public void Silence_after_progress_escalates_at_the_next_deadline()
    {
        var progressAt = ReceivedAt.AddDays(10);
        var nextDue = progressAt + Period;
        DeviceWithA()
            .Given(new RepairProgressReported(JobId, 1, "A", "waiting", progressAt, nextDue))
            .When(new FeedbackDeadlineReached(JobId, nextDue, nextDue))
            .Then(Escalated(EscalationReason.FeedbackOverdue,
                $"The provider holding the device reported no progress by {nextDue:O}.", 1, "A", nextDue));
    }

    [Fact]
    public void Completion_satisfies_the_deadline() =>
        DeviceWithA()
            .Given(new RepairJobCompleted(JobId, 1, "A", RepairOutcome.Repaired, "report", T0, ReceivedAt.AddDays(5)))
            .When(new FeedbackDeadlineReached(JobId, DueAt, DueAt))
            .ThenNothing();

    [Fact]
    public void A_feedback_deadline_delivered_twice_escalates_once()
    {
        var spec = DeviceWithA();
        var deadline = new FeedbackDeadlineReached(JobId, DueAt, DueAt);
        var first = spec.When(deadline);
        Assert.Single(first.Decision.Events);

        spec.Given([.. first.Decision.Events]).When(deadline).ThenNothing();
    }

    [Fact]
    public void A_feedback_deadline_that_comes_early_is_due_again_at_the_due_time() =>
        Assert.Equal(DueAt, DeviceWithA()
            .When(new FeedbackDeadlineReached(JobId, DueAt, DueAt.AddHours(-1)))
            .ThenRefused(RepairDispatchRefusalCode.FeedbackDeadlineNotDue).RetryAt);

    [Fact]
    public void Progress_after_the_due_time_is_refused_and_the_job_escalated_as_the_deadline_would()
    {
        var late = DueAt.AddHours(1);
        DeviceWithA()
            .When(new ReportProgress(JobId, "A", "still waiting", late))
            .ThenRefusedAndRecorded(RepairDispatchRefusalCode.FeedbackDeadlinePassed,
                Escalated(EscalationReason.FeedbackOverdue, $"The provider holding the device reported no progress by {DueAt:O}.", 1, "A", late));
    }

    [Fact]
    public void A_report_after_the_feedback_escalation_is_refused_with_the_deadline_code() =>
        DeviceWithA()
            .Given(Escalated(EscalationReason.FeedbackOverdue, "overdue", 1, "A", DueAt))
            .When(new ReportCompletion(JobId, "A", RepairOutcome.Repaired, "report", DueAt.AddDays(1)))
            .ThenRefused(RepairDispatchRefusalCode.FeedbackDeadlinePassed);

    [Fact]
    public void A_feedback_deadline_the_job_never_owed_changes_nothing() =>
        ContactedByA().When(new FeedbackDeadlineReached(JobId, DueAt, DueAt)).ThenNothing();
}
