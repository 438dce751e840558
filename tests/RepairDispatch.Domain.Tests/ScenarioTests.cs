using Platform.Domain;
using RepairDispatch.Domain;
using static RepairDispatch.Domain.RepairJobCommand;
using static RepairDispatch.Domain.RepairJobEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

/// <summary>The flow the integration test replays through the service.</summary>
public class ScenarioTests
{
    [Fact]
    public void A_never_calls_B_calls_after_its_deadline_C_calls_in_time()
    {
        var history = new List<RepairJobEvent>();
        var state = RepairJob.Initial;
        Decision<RepairJobEvent> Run(RepairJobCommand command)
        {
            var decision = RepairJobDecider.Decide(command, state, RepairDispatchPolicy.Default);
            history.AddRange(decision.Events);
            state = decision.Events.Aggregate(state, RepairJobDecider.Evolve);
            return decision;
        }

        Run(new OpenForApprovedClaim(JobId, ClaimId, Request, RepairPayer.Brand, ABC, T0));
        Run(new CallbackDeadlineReached(JobId, 1, ABC, At(24)));                              // A never called
        Run(new CallbackDeadlineReached(JobId, 2, ABC, At(48)));                              // B's deadline runs first...
        var late = Run(new ReportCustomerContacted(JobId, "B", BookedFor, At(49)));            // ...then B calls
        var inTime = Run(new ReportCustomerContacted(JobId, "C", BookedFor, At(50)));
        Run(new CallbackDeadlineReached(JobId, 3, ABC, At(72)));

        Assert.Equal(nameof(RepairDispatchRefusalCode.CallbackDeadlinePassed), Assert.IsType<Decision<RepairJobEvent>.Refused>(late).Refusal.Code);
        Assert.IsType<Decision<RepairJobEvent>.Accepted>(inTime);
        Assert.Equal(["A", "B"], history.OfType<ProviderCallbackSlaBreached>().Select(b => b.ProviderId));
        Assert.Equal(["A", "B", "C"], history.OfType<RepairJobDispatched>().Select(d => d.ProviderId));
        Assert.Empty(history.OfType<RepairJobEscalated>());

        var job = Assert.IsType<RepairJob.InProgress>(state);
        var current = Assert.IsType<DispatchAttempt>(job.Current);
        Assert.Equal(("C", 3, true), (current.ProviderId, current.Number, current.CustomerContacted));
    }
}
