using System.Text.RegularExpressions;
using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;
using RepairDispatch.Domain;

namespace RepairDispatch.Service.Tests;

public sealed class EventTypesTests
{
    [Fact]
    public void Every_domain_event_has_a_stored_name()
    {
        var events = typeof(RepairJobEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && (t.IsSubclassOf(typeof(RepairJobEvent)) || t.IsSubclassOf(typeof(ProviderEvent))));

        Assert.Empty(events.Where(t => !EventTypes.All.ContainsKey(t)).Select(t => t.FullName));
    }

    [Fact]
    public void Stored_names_are_distinct_and_in_the_services_kebab_case()
    {
        Assert.Equal(EventTypes.All.Count, EventTypes.All.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(EventTypes.All.Values, name => Assert.Matches(new Regex("^repairdispatch\\.[a-z]+(-[a-z]+)*$"), name));
    }

    [Fact]
    public void The_events_and_the_contracts_register_together()
    {
        var types = new MessageTypeRegistry();
        EventTypes.Register(types);
        types.RegisterNamespace(typeof(ClaimApproved).Assembly, "Platform.Contracts");

        Assert.Equal("repairdispatch.repair-job-completed", types.NameOf(typeof(RepairJobEvent.RepairJobCompleted)));
        Assert.Equal(typeof(Platform.Contracts.Repair.V1.RepairJobCompleted).FullName, types.NameOf(typeof(Platform.Contracts.Repair.V1.RepairJobCompleted)));
    }
}
