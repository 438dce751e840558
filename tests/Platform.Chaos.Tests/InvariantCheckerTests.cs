using Platform.Simulator;
using Platform.Testing;

namespace Platform.Chaos.Tests;

/// <summary>
/// The chaos run's checker can fail: on a consistent record every invariant holds, and each violation planted in
/// it is reported by the invariant it breaks, naming what broke it.
/// </summary>
public sealed class InvariantCheckerTests(InvariantCheckerTests.Database database) : IAsyncLifetime, IClassFixture<InvariantCheckerTests.Database>
{
    private PlantedRun run = null!;

    /// <summary>One database for the class; each test plants its run in schemas of its own.</summary>
    public sealed class Database : IAsyncLifetime
    {
        public TestDatabase Value { get; private set; } = null!;

        public async Task InitializeAsync() => Value = await TestDatabase.Create(migrate: false);

        public async Task DisposeAsync() => await Value.DisposeAsync();
    }

    public async Task InitializeAsync() => run = await PlantedRun.Create(database.Value);

    public async Task DisposeAsync() => await run.DisposeAsync();

    [Fact]
    public async Task Every_invariant_holds_on_a_consistent_record_and_each_was_checked_on_something()
    {
        var results = await run.Check();

        Assert.All(results, r => Assert.True(r.Holds, $"{r.Name}: {string.Join("; ", r.Violations)}"));
        Assert.All(results, r => Assert.True(r.Checked > 0, $"{r.Name} checked nothing"));
        Assert.Equal(10, results.Count);
    }

    [Fact]
    public async Task A_stream_with_a_gap_is_reported()
    {
        await PlantedRun.Append(run.Warranty, "warranty-file/o-1/L2", "warranty.extended-warranty-cancelled", new { orderId = "o-1", lineId = "L2" }, version: 9);

        Assert.Contains("warranty: stream warranty-file/o-1/L2 has 4 events numbered 1 to 9 (a gap)", Broken(await run.Check(), "no stream has a gap"));
    }

    [Fact]
    public async Task A_stream_whose_recorded_version_is_not_its_last_event_is_reported()
    {
        await PlantedRun.Execute(run.Order, "update mt_streams set version = 7 where id = 'order-o-1'");

        Assert.Contains("order: stream order-o-1 is recorded at version 7, its last event is 2", Broken(await run.Check(), "no stream has a gap"));
    }

    [Fact]
    public async Task A_line_warranted_twice_is_reported_as_two_warranties_and_as_an_effect_recorded_twice()
    {
        await PlantedRun.Append(run.Warranty, "warranty-file/o-1/L1", "warranty.warranty-activated", new { orderId = "o-1", lineId = "L1" });

        var results = await run.Check();

        Assert.Contains("order o-1 line L1 completed with 2 warranties", Broken(results, "every completed order has exactly one warranty"));
        Assert.Contains("warranty: warranty-file/o-1/L1 holds 2 warranty.warranty-activated", Broken(results, "each effect is recorded once"));
    }

    [Fact]
    public async Task A_completed_line_without_a_warranty_is_reported()
    {
        await PlantedRun.Execute(run.Warranty, "delete from mt_events where stream_id = 'warranty-file/o-1/L2'");
        await PlantedRun.Execute(run.Warranty, "delete from mt_streams where id = 'warranty-file/o-1/L2'");

        Assert.Contains("order o-1 line L2 completed with 0 warranties", Broken(await run.Check(), "every completed order has exactly one warranty"));
    }

    [Fact]
    public async Task An_approved_repair_claim_with_two_jobs_or_with_none_is_reported()
    {
        var second = Guid.NewGuid();
        await PlantedRun.Append(run.RepairDispatch, $"repair-job-{second}", "repairdispatch.repair-job-opened",
            new { jobId = second, source = new { kind = "ApprovedClaim", id = PlantedRun.WaitingClaim } });
        var forgotten = Guid.NewGuid();
        await PlantedRun.Append(run.Warranty, "warranty-file/o-1/L2", "warranty.claim-approved", new { claimId = forgotten, remedy = "Repair", answerer = "Brand" });

        var violations = Broken(await run.Check(), "every approved repair claim");

        Assert.Contains(violations, v => v.StartsWith($"claim {PlantedRun.WaitingClaim} has 2 repair jobs", StringComparison.Ordinal));
        Assert.Contains($"claim {forgotten} was approved for a repair but has neither a job nor a resolution", violations);
    }

    [Fact]
    public async Task A_completed_job_whose_claim_was_never_resolved_is_reported()
    {
        await PlantedRun.Execute(run.Warranty, $"delete from mt_events where data->>'claimId' = '{PlantedRun.RepairedClaim}' and type = 'warranty.claim-resolved'");

        Assert.Contains($"claim {PlantedRun.RepairedClaim}: its job {PlantedRun.RepairedJob} was completed, but the claim is not resolved",
            Broken(await run.Check(), "every approved repair claim"));
    }

    [Fact]
    public async Task A_deadline_that_passed_without_a_callback_and_without_a_breach_is_reported()
    {
        var job = Guid.NewGuid();
        var deadline = PlantedRun.Now.AddDays(-1);
        await PlantedRun.Append(run.RepairDispatch, $"repair-job-{job}", "repairdispatch.repair-job-dispatched", PlantedRun.Dispatch(job, 1, "p-1", deadline));

        Assert.Contains($"job {job} attempt 1 (deadline {deadline:O}): the deadline passed without a callback, and no breach was recorded",
            Broken(await run.Check(), "every callback deadline took effect exactly once"));
    }

    [Fact]
    public async Task A_breach_recorded_twice_for_one_attempt_is_reported()
    {
        var deadline = PlantedRun.Now.AddDays(-8);
        await PlantedRun.Append(run.RepairDispatch, $"repair-job-{PlantedRun.EscalatedJob}", "repairdispatch.provider-callback-sla-breached", PlantedRun.Breach(PlantedRun.EscalatedJob, 1, deadline));
        await PlantedRun.Append(run.RepairDispatch, "provider-p-2", "repairdispatch.provider-callback-breach-recorded", new { jobId = PlantedRun.EscalatedJob, attempt = 1 });

        Assert.Contains($"job {PlantedRun.EscalatedJob} attempt 1 (deadline {deadline:O}): breach recorded 2 times",
            Broken(await run.Check(), "every callback deadline took effect exactly once"));
    }

    [Fact]
    public async Task A_breach_on_a_callback_made_in_time_and_one_not_recorded_against_the_provider_are_reported()
    {
        var deadline = PlantedRun.Now.AddDays(-10);
        await PlantedRun.Append(run.RepairDispatch, $"repair-job-{PlantedRun.RepairedJob}", "repairdispatch.provider-callback-sla-breached", PlantedRun.Breach(PlantedRun.RepairedJob, 1, deadline));

        var violations = Broken(await run.Check(), "every callback deadline took effect exactly once");

        Assert.Contains($"job {PlantedRun.RepairedJob} attempt 1 (deadline {deadline:O}): 1 breach(es) on the job, 0 against the provider", violations);
        Assert.Contains($"job {PlantedRun.RepairedJob} attempt 1 (deadline {deadline:O}): 1 breach(es), where the callback (on time) implies 0", violations);
    }

    [Fact]
    public async Task A_good_message_in_an_error_queue_and_a_bad_message_that_vanished_are_reported()
    {
        var good = Guid.NewGuid();
        await run.DeadLetter("warranty-order-completed_error", good, "Npgsql.NpgsqlException: the database is shutting down");
        var vanished = Guid.NewGuid();
        run.Manifest = run.Manifest with { BadMessages = [.. run.Manifest.BadMessages, new BadMessage(vanished, "warranty-order-completed", "missing fields", PlantedRun.Now)] };

        var results = await run.Check();

        Assert.Contains(Broken(results, "no _error or _skipped queue holds anything but"),
            v => v.StartsWith($"warranty-order-completed_error holds a message {good}, not one sent bad on purpose", StringComparison.Ordinal) && v.Contains("shutting down", StringComparison.Ordinal));
        Assert.Contains($"bad message {vanished} (missing fields, to warranty-order-completed) is dead-lettered 0 times", Broken(results, "every deliberately bad message"));
    }

    [Fact]
    public async Task A_message_applied_twice_to_one_stream_is_reported()
    {
        await PlantedRun.Append(run.Order, "order-o-1", "order.order-placed", new { orderId = "o-1" }, PlantedRun.OrderPlacedMessage);

        var results = await run.Check();

        Assert.Contains($"order: message {PlantedRun.OrderPlacedMessage} changed stream order-o-1 in 2 transactions", Broken(results, "no consumed message changed a stream twice"));
        Assert.Contains(Broken(results, "every message delivered twice on purpose"), v => v.StartsWith($"OrderPlaced {PlantedRun.OrderPlacedMessage} of o-1, sent twice, was applied in 2 transactions", StringComparison.Ordinal));
        Assert.Contains("order: order-o-1 holds 2 order.order-placed", Broken(results, "each effect is recorded once"));
    }

    [Fact]
    public async Task A_message_delivered_twice_that_no_service_consumed_is_reported()
    {
        var lost = Guid.NewGuid();
        run.Manifest = run.Manifest with { RepeatedMessages = [.. run.Manifest.RepeatedMessages, new RepeatedMessage(lost, "OrderCompleted", "o-2", PlantedRun.Now)] };

        Assert.Contains($"OrderCompleted {lost} of o-2, sent twice, is in no service's inbox", Broken(await run.Check(), "every message delivered twice on purpose"));
    }

    [Fact]
    public async Task Two_cases_for_one_escalated_job_are_reported()
    {
        var second = Guid.NewGuid();
        await PlantedRun.Append(run.Arbitration, $"arbitration-case-{second}", "arbitration.case-opened",
            new { caseId = second, origin = new Dictionary<string, object> { ["$type"] = "RepairJobEscalated", ["jobId"] = PlantedRun.EscalatedJob } });

        Assert.Contains($"arbitration: case origin RepairJobEscalated {PlantedRun.EscalatedJob} holds 2 arbitration.case-opened", Broken(await run.Check(), "each effect is recorded once"));
    }

    [Fact]
    public async Task A_figure_of_the_simulator_that_differs_and_a_problem_it_met_are_reported()
    {
        run.Manifest = run.Manifest with { Checks = [new Check("orders completed", 4999, 5000)], Problems = ["order sim-1-0042: still waiting for its warranty"] };

        var violations = Broken(await run.Check(), "the simulator's figures");

        Assert.Contains("orders completed: found 4999, expected 5000", violations);
        Assert.Contains("problem: order sim-1-0042: still waiting for its warranty", violations);
    }

    /// <summary>The violations of the one invariant whose name starts so, which must be broken.</summary>
    private static IReadOnlyList<string> Broken(IReadOnlyList<InvariantResult> results, string invariant)
    {
        var result = Assert.Single(results, r => r.Name.StartsWith(invariant, StringComparison.Ordinal));
        Assert.False(result.Holds, $"{result.Name} holds, but a violation of it was planted");
        return result.Violations;
    }
}
