using RepairDispatch.Domain;
using static RepairDispatch.Domain.ProviderCommand;
using static RepairDispatch.Domain.ProviderEvent;
using static RepairDispatch.Domain.Tests.Fixtures;

namespace RepairDispatch.Domain.Tests;

public class ProviderDeciderTests
{
    private static readonly ProviderRegistered Registered = new("P1", ["GD", "ZJ"], ["home-appliance"], 3, T0);

    private static Spec<ProviderCommand, ProviderEvent, Provider> RegisteredP1() => Specs.Provider().Given(Registered);

    private static ProviderCallbackBreachRecorded Breach(int n, DateTimeOffset at) => new("P1", Guid.Parse($"00000000-0000-0000-0000-{n:D12}"), 1, at);

    private static RecordCallbackBreach RecordBreach(int n, DateTimeOffset at) => new("P1", Guid.Parse($"00000000-0000-0000-0000-{n:D12}"), 1, at, at);

    [Fact]
    public void A_provider_is_registered_with_its_regions_and_categories_distinct_and_ordered() =>
        Specs.Provider()
            .When(new RegisterProvider("P1", ["ZJ", "GD", "ZJ"], ["home-appliance"], 3, T0))
            .Then(Registered);

    [Fact]
    public void Registering_the_same_provider_again_changes_nothing() =>
        RegisteredP1().When(new RegisterProvider("P1", ["GD", "ZJ"], ["home-appliance"], 3, At(1))).ThenNothing();

    [Fact]
    public void Registering_an_existing_provider_with_other_terms_is_refused() =>
        RegisteredP1().When(new RegisterProvider("P1", ["GD"], ["home-appliance"], 3, At(1))).ThenRefused(RepairDispatchRefusalCode.ProviderAlreadyRegistered);

    [Theory]
    [InlineData("", 3, "GD", "phone", RepairDispatchRefusalCode.MissingProviderId)]
    [InlineData("  ", 3, "GD", "phone", RepairDispatchRefusalCode.MissingProviderId)]
    [InlineData("P1", 0, "GD", "phone", RepairDispatchRefusalCode.CapacityBelowOne)]
    [InlineData("P1", 3, null, "phone", RepairDispatchRefusalCode.NoRegions)]
    [InlineData("P1", 3, " ", "phone", RepairDispatchRefusalCode.NoRegions)]
    [InlineData("P1", 3, "GD", null, RepairDispatchRefusalCode.NoCategories)]
    [InlineData("P1", 3, "GD", "", RepairDispatchRefusalCode.NoCategories)]
    public void Invalid_registrations_are_refused(string id, int capacity, string? region, string? category, RepairDispatchRefusalCode code) =>
        Specs.Provider()
            .When(new RegisterProvider(id, region is null ? [] : [region], category is null ? [] : [category], capacity, T0))
            .ThenRefused(code);

    [Fact]
    public void An_update_changes_regions_categories_and_capacity() =>
        RegisteredP1()
            .When(new UpdateProvider("P1", ["SH"], ["phone", "home-appliance"], 5, At(1)))
            .Then(new ProviderUpdated("P1", ["SH"], ["home-appliance", "phone"], 5, At(1)));

    [Fact]
    public void An_update_with_the_same_terms_changes_nothing() =>
        RegisteredP1().When(new UpdateProvider("P1", ["ZJ", "GD"], ["home-appliance"], 3, At(1))).ThenNothing();

    [Fact]
    public void An_invalid_update_is_refused() =>
        RegisteredP1().When(new UpdateProvider("P1", ["GD"], ["home-appliance"], 0, At(1))).ThenRefused(RepairDispatchRefusalCode.CapacityBelowOne);

    [Fact]
    public void An_unregistered_provider_cannot_be_updated() =>
        Specs.Provider().When(new UpdateProvider("P1", ["GD"], ["home-appliance"], 3, At(1))).ThenRefused(RepairDispatchRefusalCode.ProviderNotFound);

    [Fact]
    public void An_operator_suspends_a_provider() =>
        RegisteredP1()
            .When(new SuspendProvider("P1", "fraud investigation", At(1)))
            .Then(new ProviderSuspended("P1", SuspensionReason.OperatorDecision, "fraud investigation", At(1)));

    [Fact]
    public void Suspending_a_suspended_provider_changes_nothing() =>
        RegisteredP1()
            .Given(new ProviderSuspended("P1", SuspensionReason.OperatorDecision, "x", At(1)))
            .When(new SuspendProvider("P1", "again", At(2)))
            .ThenNothing();

    [Fact]
    public void A_suspended_provider_is_reactivated() =>
        RegisteredP1()
            .Given(new ProviderSuspended("P1", SuspensionReason.OperatorDecision, "x", At(1)))
            .When(new ReactivateProvider("P1", At(2)))
            .Then(new ProviderReactivated("P1", At(2)));

    [Fact]
    public void Reactivating_an_active_provider_changes_nothing() =>
        RegisteredP1().When(new ReactivateProvider("P1", At(2))).ThenNothing();

    [Fact]
    public void The_state_reflects_suspension_and_updates()
    {
        var provider = Assert.IsType<Provider.Registered>(RegisteredP1()
            .Given(new ProviderUpdated("P1", ["SH"], ["phone"], 7, At(1)), new ProviderSuspended("P1", SuspensionReason.OperatorDecision, "x", At(2)))
            .State);
        Assert.Equal((ProviderStatus.Suspended, 7, "SH", "phone"), (provider.Status, provider.Capacity, provider.Regions.Single(), provider.Categories.Single()));
    }

    /// <summary>A provider with two years of breaches: the state keeps their count and only the last year's, yet suspends as before.</summary>
    [Fact]
    public void A_long_history_of_breaches_folds_to_a_count_and_a_recent_window_that_still_suspends()
    {
        // 250 breaches three days apart, the last two recorded out of order; reactivated after them.
        const int last = 72 * 250;
        var breaches = Enumerable.Range(1, 250).Select(n => Breach(n, At(72 * n))).ToList();
        (breaches[^1], breaches[^2]) = (breaches[^2], breaches[^1]);
        var spec = RegisteredP1().Given([.. breaches, new ProviderReactivated("P1", At(last + 1))]);

        var provider = Assert.IsType<Provider.Registered>(spec.State);
        // Kept: those after the last one less 365 days (8,760 hours), breaches 129 to 250.
        Assert.Equal(250, provider.BreachCount);
        Assert.Equal(Enumerable.Range(129, 122).Select(n => At(72 * n)), provider.Breaches.Select(b => b.BreachedAt).Order());
        spec.Given(Breach(251, At(last + 2)), Breach(252, At(last + 3)))
            .When(RecordBreach(253, At(last + 4)))
            .Then(Breach(253, At(last + 4)),
                new ProviderSuspended("P1", SuspensionReason.RepeatedCallbackBreaches, "3 callback SLA breaches within 30 days (threshold 3).", At(last + 4)));
    }

    [Fact]
    public void Breaches_below_the_threshold_are_only_recorded() =>
        RegisteredP1()
            .Given(Breach(1, At(0)))
            .When(RecordBreach(2, At(24)))
            .Then(Breach(2, At(24)));

    [Fact]
    public void Reaching_the_threshold_within_the_window_suspends_the_provider() =>
        RegisteredP1()
            .Given(Breach(1, At(0)), Breach(2, At(24)))
            .When(RecordBreach(3, T0.AddDays(29)))
            .Then(
                Breach(3, T0.AddDays(29)),
                new ProviderSuspended("P1", SuspensionReason.RepeatedCallbackBreaches, "3 callback SLA breaches within 30 days (threshold 3).", T0.AddDays(29)));

    [Fact]
    public void Breaches_older_than_the_window_do_not_count() =>
        RegisteredP1()
            .Given(Breach(1, At(0)), Breach(2, T0.AddDays(10)))
            .When(RecordBreach(3, T0.AddDays(31)))
            .Then(Breach(3, T0.AddDays(31)));

    [Fact]
    public void A_breach_exactly_one_window_old_has_left_the_window() =>
        RegisteredP1()
            .Given(Breach(1, At(0)), Breach(2, T0.AddDays(10)))
            .When(RecordBreach(3, T0.AddDays(30)))
            .Then(Breach(3, T0.AddDays(30)));

    [Fact]
    public void The_threshold_and_window_follow_the_policy() =>
        Specs.Provider(RepairDispatchPolicy.Default with { SuspensionBreachThreshold = 2, SuspensionWindow = TimeSpan.FromDays(7) })
            .Given(Registered, Breach(1, At(0)))
            .When(RecordBreach(2, T0.AddDays(6)))
            .Then(
                Breach(2, T0.AddDays(6)),
                new ProviderSuspended("P1", SuspensionReason.RepeatedCallbackBreaches, "2 callback SLA breaches within 7 days (threshold 2).", T0.AddDays(6)));

    [Fact]
    public void The_same_breach_recorded_twice_counts_once() =>
        RegisteredP1()
            .Given(Breach(1, At(0)), Breach(2, At(24)))
            .When(RecordBreach(2, At(24)))
            .ThenNothing();

    [Fact]
    public void A_suspended_provider_still_has_its_breaches_recorded_but_is_not_suspended_again() =>
        RegisteredP1()
            .Given(Breach(1, At(0)), Breach(2, At(1)), Breach(3, At(2)),
                new ProviderSuspended("P1", SuspensionReason.RepeatedCallbackBreaches, "x", At(2)))
            .When(RecordBreach(4, At(3)))
            .Then(Breach(4, At(3)));

    [Fact]
    public void Breaches_before_a_reactivation_no_longer_count() =>
        RegisteredP1()
            .Given(Breach(1, At(0)), Breach(2, At(1)), Breach(3, At(2)),
                new ProviderSuspended("P1", SuspensionReason.RepeatedCallbackBreaches, "x", At(2)),
                new ProviderReactivated("P1", At(48)))
            .When(RecordBreach(4, At(72)))
            .Then(Breach(4, At(72)));

    [Fact]
    public void A_breach_for_an_unregistered_provider_is_refused() =>
        Specs.Provider().When(RecordBreach(1, At(0))).ThenRefused(RepairDispatchRefusalCode.ProviderNotFound);
}
