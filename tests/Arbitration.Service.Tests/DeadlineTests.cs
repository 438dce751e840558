using System.Net;
using Arbitration.Domain;
using Arbitration.Service.Cases;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Contracts.Arbitration.V1;
using Platform.Testing;

namespace Arbitration.Service.Tests;

/// <summary>
/// The respondent's deadline when clocks disagree: delivered before its time, or not yet delivered when
/// the respondent answers too late. Each case's own deadline message is taken out of the outbox first,
/// so what the test delivers is the only deadline the case gets.
/// </summary>
public sealed class DeadlineTests(TenDayDeadlineHost host) : ArbitrationTests<TenDayDeadlineHost>(host)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private async Task<CaseOpened> CaseWithoutItsDeadline(Platform.Contracts.Warranty.V1.ClaimEscalated escalated)
    {
        var caseId = CaseIds.ForClaim(escalated.ClaimId);
        await Probe.Publish(escalated);
        var opened = await Probe.WaitFor<CaseOpened>(m => m.CaseId == caseId, Timeout, "the case is opened");
        await using var command = Service.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("delete from outbox where scheduled and body like '%' || $1 || '%'");
        command.Parameters.Add(new() { Value = caseId.ToString() });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return opened;
    }

    [Fact]
    public async Task A_deadline_that_arrives_before_its_time_is_scheduled_again_and_then_rules_by_default()
    {
        var escalated = Messages.ClaimEscalated();
        var opened = await CaseWithoutItsDeadline(escalated);

        // What a relay whose clock runs ahead would deliver: the deadline, long before this service's clock reaches it.
        await Probe.Publish(new RespondentDeadline { CaseId = opened.CaseId, OrderId = opened.OrderId, DueAt = opened.RespondBy });

        var ruling = await Probe.WaitFor<RulingIssued>(m => m.CaseId == opened.CaseId, Long, "the rescheduled deadline rules by default");
        Assert.Equal((true, opened.RespondBy), (ruling.DefaultRuling, ruling.RuledAt));
        Assert.True(Env.TimeProvider.GetUtcNow() >= opened.RespondBy, "ruled no sooner than the deadline");
    }

    [Fact]
    public async Task A_respondent_answering_after_its_deadline_is_told_so_with_409_and_the_deadline_rules_by_default()
    {
        var escalated = Messages.ClaimEscalated();
        var opened = await CaseWithoutItsDeadline(escalated);
        await Eventually.Until(() => Env.TimeProvider.GetUtcNow() > opened.RespondBy, Long, "the respondent's time runs out");

        using var merchant = Service.As("merchant", escalated.MerchantId);
        var late = await Problem(await Post(merchant, $"/cases/{opened.CaseId}/evidence",
            new { statement = "The kettle was dropped.", links = new[] { "https://evidence.example/dent.jpg" } }), HttpStatusCode.Conflict);

        Assert.Equal(nameof(CaseRefusalCode.RespondentDeadlinePassed), late.GetProperty("code").GetString());
        await Probe.Publish(new RespondentDeadline { CaseId = opened.CaseId, OrderId = opened.OrderId, DueAt = opened.RespondBy });
        var ruling = await Probe.WaitFor<RulingIssued>(m => m.CaseId == opened.CaseId, Timeout, "silence rules for the buyer");
        Assert.True(ruling.DefaultRuling);
    }
}
