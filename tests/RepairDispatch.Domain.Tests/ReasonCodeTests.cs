using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobCommand;
using static RepairDispatch.Domain.RepairJobEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

/// <summary>Declines and progress reports keep their code from the published list; <c>Other</c> must come with words.</summary>
public class ReasonCodeTests
{
    private static Spec<RepairJobCommand, RepairJobEvent, RepairJob> WithA() =>
        Specs.Job().Given(Opened(), Dispatched(1, "A", T0));

    [Fact]
    public void A_decline_with_a_listed_code_needs_no_note_and_keeps_the_code() =>
        WithA()
            .When(new DeclineJob(JobId, "A", "", ABC, At(1), DeclineReasonCode.OutOfServiceArea))
            .Then(new RepairJobDeclined(JobId, 1, "A", "", At(1), DeclineReasonCode.OutOfServiceArea), Dispatched(2, "B", At(1)));

    [Fact]
    public void A_decline_for_another_reason_without_a_note_is_refused_and_the_job_stays() =>
        WithA().When(new DeclineJob(JobId, "A", " ", ABC, At(1), DeclineReasonCode.Other)).ThenRefused(RepairDispatchRefusalCode.NoteRequired);

    [Fact]
    public void Progress_keeps_its_code_and_attachment_links() =>
        WithA()
            .Given(Contacted(1, "A", T0, At(2)))
            .When(new ReportProgress(JobId, "A", "", At(5), ProgressCode.AwaitingParts, ["https://photos.example/board.jpg"]))
            .Then(new RepairProgressReported(JobId, 1, "A", "", At(5), null, ProgressCode.AwaitingParts, ["https://photos.example/board.jpg"]));

    [Fact]
    public void Progress_at_another_stage_without_a_note_is_refused() =>
        WithA()
            .Given(Contacted(1, "A", T0, At(2)))
            .When(new ReportProgress(JobId, "A", "", At(5), ProgressCode.Other))
            .ThenRefused(RepairDispatchRefusalCode.NoteRequired);

    [Fact]
    public void The_buyer_is_reachable_by_the_current_attempts_provider_only_while_the_job_is_in_progress()
    {
        var spec = WithA();
        Assert.Equal((1, null), (BuyerContactAccess.Decide(spec.State, "A").Attempt?.Number, BuyerContactAccess.Decide(spec.State, "A").Refusal));
        Assert.Equal(nameof(RepairDispatchRefusalCode.NotYourJob), BuyerContactAccess.Decide(spec.State, "B").Refusal?.Code);

        spec.Given(new RepairJobDeclined(JobId, 1, "A", "", At(1), DeclineReasonCode.NoCapacity), Dispatched(2, "B", At(1)));
        Assert.Equal(nameof(RepairDispatchRefusalCode.ContactWithdrawn), BuyerContactAccess.Decide(spec.State, "A").Refusal?.Code);
        Assert.Equal(2, BuyerContactAccess.Decide(spec.State, "B").Attempt?.Number);
        Assert.Equal(nameof(RepairDispatchRefusalCode.NotYourJob), BuyerContactAccess.Decide(spec.State, "C").Refusal?.Code);

        spec.Given(Contacted(2, "B", At(1), At(2)), new RepairJobCompleted(JobId, 2, "B", RepairOutcome.Repaired, "done", At(1), At(30)));
        Assert.Equal(nameof(RepairDispatchRefusalCode.ContactWithdrawn), BuyerContactAccess.Decide(spec.State, "B").Refusal?.Code);
    }
}
