using Platform.EventSourcing;
using Platform.TestHost.Messages;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>A state whose every event shows, in order, so a fold that skips or repeats one differs.</summary>
public sealed record Folded(int Count, string Numbers)
{
    public static Folded Empty { get; } = new(0, "");

    public static Folded Evolve(Folded state, object @event) => Evolve(state, (TestMessageApplied)@event);

    public static Folded Evolve(Folded state, TestMessageApplied @event) => new(state.Count + 1, $"{state.Numbers},{@event.Number}");

    public static Folded Of(int length) => Enumerable.Range(1, length).Aggregate(Empty, (s, n) => Evolve(s, new TestMessageApplied(Guid.Empty, n)));
}

public sealed class SnapshotTests
{
    private const string Stream = "provider-like";
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly StreamSnapshot<Folded, TestMessageApplied> Snapshot = new(Folded.Empty, Folded.Evolve);

    [Fact]
    public async Task A_snapshotted_load_equals_the_full_fold_at_every_length_and_reads_the_snapshot_document()
    {
        await using var database = await TestDatabase.Create();
        using var store = Store(database);

        for (var length = 0; length <= 35; length++)
        {
            if (length > 0)
            {
                await Append(store, length - 1, 1);
            }
            var full = await LoadFull(store);
            var snapshotted = await LoadSnapshotted(store);

            Assert.Equal(full, snapshotted);
            Assert.Equal(Folded.Of(length), snapshotted.State);
            Assert.Equal(length, length == 0 ? 0 : await SnapshotVersion(database));
        }
    }

    [Fact]
    public async Task A_snapshot_changes_only_with_a_committed_append()
    {
        await using var database = await TestDatabase.Create();
        using var store = Store(database);
        await Append(store, 0, 5);

        await using (var session = await store.OpenSession(null, NoMetadata, Ct))
        {
            var loaded = await session.Load(Stream, "test", Snapshot, Ct);
            session.Append(loaded, [new TestMessageApplied(Guid.Empty, 6)]);
            // Disposed without a commit: rolled back, snapshot and all.
        }

        Assert.Equal(5L, await SnapshotVersion(database));
        Assert.Equal(Folded.Of(5), (await LoadSnapshotted(store)).State);
    }

    [Fact]
    public async Task After_a_snapshotted_load_the_next_append_commits_and_a_stale_one_is_refused()
    {
        await using var database = await TestDatabase.Create();
        using var store = Store(database);
        await Append(store, 0, 28);

        await using var first = await store.OpenSession(null, NoMetadata, Ct);
        await using var second = await store.OpenSession(null, NoMetadata, Ct);
        var a = await first.Load(Stream, "test", Snapshot, Ct);
        var b = await second.Load(Stream, "test", Snapshot, Ct);
        Assert.Equal((28L, 28L), (a.Version, b.Version));
        first.Append(a, [new TestMessageApplied(Guid.Empty, 29)]);
        second.Append(b, [new TestMessageApplied(Guid.Empty, 29)]);
        await first.Commit(Ct);

        var error = await Assert.ThrowsAsync<StreamConcurrencyException>(() => second.Commit(Ct));
        Assert.Equal((Stream, 28L, 29L), (error.StreamId, error.ExpectedVersion, error.ActualVersion));
        Assert.Equal(29L, await database.Scalar<long>("select count(*) from mt_events where stream_id = $1", Stream));
        Assert.Equal(Folded.Of(29), (await LoadSnapshotted(store)).State);
    }

    [Fact]
    public async Task A_stream_written_before_its_snapshot_was_registered_loads_as_its_full_fold()
    {
        await using var database = await TestDatabase.Create();
        using (var withoutSnapshot = database.Store())
        {
            await Append(withoutSnapshot, 0, 7);
        }
        using var store = Store(database);

        var loaded = await LoadSnapshotted(store);

        Assert.Equal((7L, Folded.Of(7)), (loaded.Version, loaded.State));
    }

    [Fact]
    public async Task A_store_in_a_schema_of_its_own_appends_reads_and_names_the_moved_stream()
    {
        await using var database = await TestDatabase.Create();
        await database.Scalar<int>("create schema other; select 1");
        using var store = new EventStore(database.DataSource, TestDatabases.Types(), TimeProvider.System, [Snapshot], schema: "other");
        await store.ApplySchema(Ct);
        await Append(store, 0, 2);

        await using var stale = await store.OpenSession(null, NoMetadata, Ct);
        stale.Append(Stream, "test", 1, [new TestMessageApplied(Guid.Empty, 2)]);
        var error = await Assert.ThrowsAsync<StreamConcurrencyException>(() => stale.Commit(Ct));

        Assert.Equal((1L, 2L), (error.ExpectedVersion, error.ActualVersion));
        Assert.Equal(Folded.Of(2), (await LoadSnapshotted(store)).State);
        Assert.Equal("test", await database.Scalar<string>("select type from other.mt_streams where id = $1", Stream));
    }

    private static EventStore Store(TestDatabase database) => new(database.DataSource, TestDatabases.Types(), TimeProvider.System, [Snapshot]);

    private static async Task Append(EventStore store, int version, int count)
    {
        await using var session = await store.OpenSession(null, NoMetadata, Ct);
        session.Append(Stream, "test", version, Enumerable.Range(version + 1, count).Select(n => new TestMessageApplied(Guid.Empty, n)));
        await session.Commit(Ct);
    }

    private static async Task<LoadedStream<Folded>> LoadFull(EventStore store)
    {
        await using var session = await store.OpenSession(null, NoMetadata, Ct);
        return await session.Load(Stream, "test", Folded.Empty, Folded.Evolve, Ct);
    }

    private static async Task<LoadedStream<Folded>> LoadSnapshotted(EventStore store)
    {
        await using var session = await store.OpenSession(null, NoMetadata, Ct);
        return await session.Load(Stream, "test", Snapshot, Ct);
    }

    private static Task<long> SnapshotVersion(TestDatabase database) =>
        database.Scalar<long>("select coalesce((select (data->>'version')::bigint from mt_doc_snapshotfolded where id = $1), 0)", Stream);
}
