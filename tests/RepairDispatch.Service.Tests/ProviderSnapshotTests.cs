using Platform.Contracts.Warranty.V1;
using Platform.EventSourcing;
using Platform.Testing;
using RepairDispatch.Domain;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Service.Providers;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

public sealed class ProviderSnapshotTests
{
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);
    private static readonly DateTimeOffset Start = new(2025, 3, 8, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_provider_stream_past_its_snapshots_loads_as_its_full_fold()
    {
        await using var database = await TestDatabase.Create();
        var types = new MessageTypeRegistry();
        EventTypes.Register(types);
        types.RegisterNamespace(typeof(ClaimApproved).Assembly, "Platform.Contracts");
        using var store = new EventStore(database.DataSource, types, TimeProvider.System, [ProviderStream.Snapshots]);
        await Migrator.Apply(database.DataSource, ReadModelMigrations.All, CancellationToken.None);
        var providers = new ProviderStream(TimeProvider.System);
        await Run(new ProviderCommand.RegisterProvider("p-7", ["GD"], ["phone"], 5, Start));

        for (var breach = 1; breach <= 220; breach++)
        {
            var at = Start.AddMinutes(breach);
            await Run(new ProviderCommand.RecordCallbackBreach("p-7", Guid.NewGuid(), 1, at, at));
            if (breach == 120)
            {
                await Run(new ProviderCommand.ReactivateProvider("p-7", at));
            }
        }

        await using var session = await store.OpenSession(null, NoMetadata, CancellationToken.None);
        var full = await session.Load(ProviderStream.StreamId("p-7"), ProviderStream.StreamType, Provider.Initial,
            (s, e) => ProviderDecider.Evolve(s, (ProviderEvent)e), CancellationToken.None);
        var snapshotted = await providers.Aggregate.LoadFrom(session, ProviderStream.StreamId("p-7"), CancellationToken.None);
        Assert.Equal(full.Version, snapshotted.Version);
        Assert.Equal(Describe(full.State), Describe(snapshotted.State));
        Assert.Equal(220, ((Provider.Registered)snapshotted.State).BreachCount);
        Assert.Equal(full.Version, await database.Scalar<long>("select (data->>'version')::bigint from mt_doc_snapshotprovider where id = 'provider-p-7'"));

        async Task Run(ProviderCommand command)
        {
            await using var unit = await store.OpenSession(null, NoMetadata, CancellationToken.None);
            await new UnitOfWork(unit).Handle(providers.Aggregate, ProviderStream.StreamId("p-7"),
                provider => ProviderDecider.Decide(command, provider, RepairDispatchPolicy.Default), CancellationToken.None);
            await unit.Commit(CancellationToken.None);
        }
    }

    /// <summary>Every field, lists by their items: the state's lists compare by reference.</summary>
    private static string Describe(Provider provider) => provider switch
    {
        Provider.Registered p => string.Join(" | ", p.ProviderId, string.Join(",", p.Regions), string.Join(",", p.Categories), p.Capacity, p.Status,
            p.BreachesCountFrom?.ToString("O"), p.BreachCount, string.Join(";", p.Breaches.Select(b => $"{b.JobId}/{b.Attempt}/{b.BreachedAt:O}"))),
        _ => provider.GetType().Name,
    };
}
