using static Arbitration.Domain.Tests.CaseSpec;
using static Arbitration.Domain.Tests.Sample;

namespace Arbitration.Domain.Tests;

public class AssignmentTests
{
    private static CaseCommand.AssignArbitrator Assign(string arbitratorId) => new(CaseId, arbitratorId, OpenedAt.AddMinutes(1));

    [Fact]
    public void An_arbitrator_is_assigned_to_an_open_case() =>
        Given(MerchantCase).When(Assign("arb-1")).Then(new CaseEvent.ArbitratorAssigned(CaseId, "arb-1", OpenedAt.AddMinutes(1)));

    [Fact]
    public void Assigning_the_same_arbitrator_again_changes_nothing() =>
        Given(MerchantCase, new CaseEvent.ArbitratorAssigned(CaseId, "arb-1", OpenedAt)).When(Assign("arb-1")).ThenNothing();

    [Fact]
    public void Assigning_another_arbitrator_is_refused() =>
        Given(MerchantCase, new CaseEvent.ArbitratorAssigned(CaseId, "arb-1", OpenedAt)).When(Assign("arb-2"))
            .ThenRefused(CaseRefusalCode.ArbitratorAlreadyAssigned);

    [Fact]
    public void Assigning_a_ruled_case_is_refused() =>
        Given(MerchantCase, new CaseEvent.CaseRuled(CaseId, RefundBuyer, "default", null, DeadlineAt)).When(Assign("arb-1"))
            .ThenRefused(CaseRefusalCode.CaseAlreadyRuled);

    [Fact]
    public void Assigning_nobody_is_refused() =>
        Given(MerchantCase).When(Assign(" ")).ThenRefused(CaseRefusalCode.MissingField);

    [Fact]
    public void The_arbitrator_with_the_fewest_open_cases_is_chosen() =>
        Assert.Equal("arb-b", ArbitratorSelection.ChooseArbitrator(
            [new("arb-a", 4), new("arb-b", 1), new("arb-c", 2)]));

    [Fact]
    public void A_tie_goes_to_the_lowest_id() =>
        Assert.Equal("arb-a", ArbitratorSelection.ChooseArbitrator(
            [new("arb-c", 1), new("arb-a", 1), new("arb-b", 1), new("arb-0", 3)]));

    [Fact]
    public void Ids_are_compared_ordinally_not_by_culture() =>
        Assert.Equal("B", ArbitratorSelection.ChooseArbitrator([new("a", 0), new("B", 0)]));

    [Fact]
    public void Nobody_is_chosen_when_there_is_no_arbitrator() =>
        Assert.Null(ArbitratorSelection.ChooseArbitrator([]));
}
