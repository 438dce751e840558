using Arbitration.Domain;
using Arbitration.Service.Cases;
using Microsoft.Extensions.Configuration;
using Platform.EventSourcing;
using Platform.Testing;

namespace Arbitration.Service.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("--Arbitration:RespondentDeadline=00:00:00", "Arbitration:RespondentDeadline")]
    [InlineData("--Arbitration:StaleAfter=-1.00:00:00", "Arbitration:StaleAfter")]
    [InlineData("--Arbitration:RespondentDeadline=three days", "Arbitration:RespondentDeadline")]
    [InlineData("--Arbitration:Arbitrators:0= ", "Arbitration:Arbitrators:0")]
    [InlineData("--Arbitration:BusinessTimeZoneId=Asia/Atlantis", "Arbitration:BusinessTimeZoneId")]
    [InlineData("--PLATFORM_WORKLIST_PAGE_SIZE=0", "PLATFORM_WORKLIST_PAGE_SIZE")]
    [InlineData("--PLATFORM_WORKLIST_MAX_PAGE_SIZE=lots", "PLATFORM_WORKLIST_MAX_PAGE_SIZE")]
    [InlineData("--PLATFORM_WORKLIST_PAGE_SIZE=600", "PLATFORM_WORKLIST_MAX_PAGE_SIZE")]
    public void The_service_refuses_to_start_on_an_invalid_policy_and_names_the_setting(string setting, string named)
    {
        var refused = Assert.ThrowsAny<InvalidOperationException>(() => ArbitrationService.Create([setting]));

        Assert.Contains(named, refused.Message + refused.InnerException?.Message);
    }

    [Fact]
    public void The_policy_numbers_and_arbitrators_come_from_configuration()
    {
        var settings = ArbitrationSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Arbitration:RespondentDeadline"] = "2.00:00:00",
                ["Arbitration:StaleAfter"] = "10.00:00:00",
                ["Arbitration:Arbitrators:0"] = "arb-x",
                ["Arbitration:Arbitrators:1"] = "arb-y",
            }).Build());

        Assert.Equal(new ArbitrationPolicy { RespondentDeadline = TimeSpan.FromDays(2), StaleAfter = TimeSpan.FromDays(10) }, settings.Policy);
        Assert.Equal(["arb-x", "arb-y"], settings.Arbitrators);
    }

    [Fact]
    public void Every_case_event_has_a_stored_name()
    {
        var events = typeof(CaseEvent).Assembly.GetTypes().Where(t => t is { IsAbstract: false } && t.IsSubclassOf(typeof(CaseEvent)));

        Assert.All(events, type => Assert.True(EventTypes.Names.ContainsKey(type), $"{type.Name} has no stored name in EventTypes"));
        Assert.Equal(EventTypes.Names.Count, EventTypes.Names.Values.Distinct().Count());
    }

    [Fact]
    public void A_case_id_is_the_same_for_the_same_origin_and_different_for_another()
    {
        var id = Guid.NewGuid();

        Assert.Equal(CaseIds.ForClaim(id), CaseIds.ForClaim(id));
        Assert.Equal(3, new[] { CaseIds.ForClaim(id), CaseIds.ForRepairJob(id), CaseIds.ForReopenRequest(id) }.Distinct().Count());
        Assert.Equal(8, CaseIds.ForClaim(id).Version);
    }

    [Fact]
    public async Task Every_case_event_reads_back_from_the_store_as_it_was_written()
    {
        // jsonb reorders an object's keys; a polymorphic origin, verdict or remedy must still read back.
        await using var database = await TestDatabase.Create();
        var types = new MessageTypeRegistry();
        EventTypes.Register(types);
        var store = new EventStore(database.DataSource, types, TimeProvider.System);
        var at = DateTimeOffset.Parse("2024-04-02T06:00:00Z");
        var item = new DisputedItem("330000", "SKU-1", "Kettle", "home-appliances", "Midea", "No heat.");
        CaseEvent[] events =
        [
            new CaseEvent.CaseOpened(Guid.NewGuid(), "TB-1", "L1", "buyer-1", new CaseOrigin.ClaimRefusedByMerchant(Guid.NewGuid(), "m-1", ClaimRemedy.Return), new Respondent(ActorRole.Merchant, "m-1"), item, at, at.AddHours(72)),
            new CaseEvent.CaseOpened(Guid.NewGuid(), "TB-1", "L1", "buyer-1", new CaseOrigin.ClaimRejected(Guid.NewGuid(), "m-1", ClaimRemedy.Repair, "OutOfWarranty"), new Respondent(ActorRole.Merchant, "m-1"), item, at, at.AddHours(72)),
            new CaseEvent.CaseOpened(Guid.NewGuid(), "TB-1", "L1", "buyer-1", new CaseOrigin.ReopenDenied(Guid.NewGuid(), "m-1", "LongDiscoveryWindowPassed"), new Respondent(ActorRole.Merchant, "m-1"), item, at, at.AddHours(72)),
            new CaseEvent.CaseOpened(Guid.NewGuid(), "TB-1", "L1", "buyer-1", new CaseOrigin.RepairJobEscalated(Guid.NewGuid(), null), new Respondent(ActorRole.PlatformRepairOperations, null), item, at, at.AddHours(72)),
            new CaseEvent.EvidenceSubmitted(Guid.NewGuid(), CaseSide.Buyer, "buyer-1", ["https://e.example/1"], "It broke.", at),
            new CaseEvent.ArbitratorAssigned(Guid.NewGuid(), "arb-1", at),
            new CaseEvent.CaseRuled(Guid.NewGuid(), new Verdict.ForBuyer(new Remedy.Compensation(12.3m)), "r", "arb-1", at),
            new CaseEvent.CaseRuled(Guid.NewGuid(), new Verdict.ForBuyer(new Remedy.ReopenEntry()), "r", null, at),
            new CaseEvent.CaseRuled(Guid.NewGuid(), new Verdict.ForRespondent(), "r", "arb-2", at),
        ];
        await using (var session = await store.OpenSession(null, CancellationToken.None))
        {
            session.Append("round-trip", "test", 0, events);
            await session.Commit(CancellationToken.None);
        }

        var read = await store.ReadStream("round-trip", CancellationToken.None);

        Assert.Equal(events.Select(Describe), read.Select(stored => Describe((CaseEvent)stored.Data)));
    }

    // Records with lists compare lists by reference; their JSON compares them by content.
    private static string Describe(CaseEvent @event) => System.Text.Json.JsonSerializer.Serialize(@event, Json.Options);
}
