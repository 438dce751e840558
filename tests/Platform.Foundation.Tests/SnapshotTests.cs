using System.Text.Json;
using Npgsql;
using Platform.EventSourcing;
using Platform.TestHost.Messages;
using Platform.Testing;

namespace Platform.Foundation.Tests;

/// <summary>A state whose every event shows, in order, so a fold that skips or repeats one differs.</summary>
public sealed record Folded(int Count, string Numbers)
{
    public static Folded Empty { get; } = new(0, "");

    public static Folded Evolve(Folded state, object @event) => new(state.Count + 1, $"{state.Numbers},{((TestMessageApplied)@event).Number}");

    public static Folded Of(int length) => Enumerable.Range(1, length).Aggregate(Empty, (s, n) => Evolve(s, new TestMessageApplied(Guid.Empty, n)));
}

public sealed class SnapshotTests
{
    private const string Stream = "provider-like";
    private static readonly MessageMetadata NoMetadata = new(null, null, null, null, null);
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_snapshotted_load_equals_the_full_fold_at_every_length_around_the_threshold_and_folds_only_what_follows_its_snapshot()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var policy = new SnapshotPolicy<Folded>("folded/1", every: 10);
        var snapshotAt = 0L;

        for (var length = 0; length <= 35; length++)
        {
            if (length > 0)
            {
                await Append(store, length - 1, 1);
            }
            var full = await LoadFull(store);
            var (loaded, folds) = await LoadWithSnapshots(store, policy);

            Assert.Equal(full, loaded);
            Assert.Equal(Folded.Of(length), loaded.State);
            Assert.Equal(length - snapshotAt, folds);
            if (folds >= policy.Every)
            {
                snapshotAt = length;
            }
            Assert.Equal(snapshotAt, await SnapshotVersion(database));
        }
    }

    [Fact]
    public async Task A_snapshot_under_another_schema_key_is_ignored_and_replaced_only_by_a_later_one()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var v1 = new SnapshotPolicy<Folded>("folded/1", every: 10);
        var v2 = new SnapshotPolicy<Folded>("folded/2", every: 10);
        await Append(store, 0, 30);
        Assert.Equal(30, (await LoadWithSnapshots(store, v1)).Folds);

        var (loaded, folds) = await LoadWithSnapshots(store, v2);

        Assert.Equal(30, folds);
        Assert.Equal(await LoadFull(store), loaded);
        Assert.Equal("folded/1", await database.Scalar<string>("select schema_key from snapshots"));

        await Append(store, 30, 1);
        Assert.Equal(31, (await LoadWithSnapshots(store, v2)).Folds);
        Assert.Equal((31L, "folded/2"), (await SnapshotVersion(database), await database.Scalar<string>("select schema_key from snapshots")));
        var (again, refolds) = await LoadWithSnapshots(store, v1);
        Assert.Equal(31, refolds);
        Assert.Equal(await LoadFull(store), again);
    }

    [Fact]
    public async Task After_a_snapshotted_load_the_next_append_commits_and_a_stale_one_is_refused()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var policy = new SnapshotPolicy<Folded>("folded/1", every: 10);
        await Append(store, 0, 25);
        await LoadWithSnapshots(store, policy);
        await Append(store, 25, 3);

        await using var first = await store.OpenSession(null, NoMetadata, Ct);
        await using var second = await store.OpenSession(null, NoMetadata, Ct);
        var a = await first.Load(Stream, "test", Folded.Empty, Folded.Evolve, policy, Ct);
        var b = await second.Load(Stream, "test", Folded.Empty, Folded.Evolve, policy, Ct);
        Assert.Equal((28L, 28L), (a.Version, b.Version));
        first.Append(a, [new TestMessageApplied(Guid.Empty, 29)]);
        second.Append(b, [new TestMessageApplied(Guid.Empty, 29)]);
        await first.Commit(Ct);

        var error = await Assert.ThrowsAsync<StreamConcurrencyException>(() => second.Commit(Ct));
        Assert.Equal((28L, 29L), (error.ExpectedVersion, error.ActualVersion));
        Assert.Equal(29L, await database.Scalar<long>("select count(*) from events"));
    }

    [Fact]
    public async Task A_load_that_read_an_older_version_does_not_replace_a_later_snapshot_committed_meanwhile()
    {
        await using var database = await TestDatabase.Create();
        var store = database.Store();
        var policy = new SnapshotPolicy<Folded>("folded/1", every: 100);
        await Append(store, 0, 150);

        // Another load, which read the stream at 250, is writing its snapshot and has not committed:
        // the slow load below reads 150 events, then waits on that row.
        await using var other = await database.DataSource.OpenConnectionAsync();
        await using var otherTransaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "insert into snapshots (stream_id, version, schema_key, data, taken_at) values ($1, 250, 'folded/1', $2::jsonb, now())", other, otherTransaction))
        {
            insert.Parameters.Add(new() { Value = Stream });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(Folded.Of(250), Json.Options) });
            await insert.ExecuteNonQueryAsync();
        }
        var slow = LoadWithSnapshots(store, policy);
        await Eventually.Until(async () => await database.Scalar<long>(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'") > 0,
            TimeSpan.FromSeconds(30), "the slow load waits for the other snapshot");
        await Append(store, 150, 100);
        await otherTransaction.CommitAsync();

        var (old, folds) = await slow;
        Assert.Equal((150L, 150), (old.Version, folds));
        Assert.Equal(Folded.Of(150), old.State);
        Assert.Equal(250L, await SnapshotVersion(database));
        var (latest, refolds) = await LoadWithSnapshots(store, policy);
        Assert.Equal(0, refolds);
        Assert.Equal(await LoadFull(store), latest);
    }

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

    private static async Task<(LoadedStream<Folded> Stream, int Folds)> LoadWithSnapshots(EventStore store, SnapshotPolicy<Folded> policy)
    {
        var folds = 0;
        await using var session = await store.OpenSession(null, NoMetadata, Ct);
        var loaded = await session.Load(Stream, "test", Folded.Empty, (s, e) =>
        {
            folds++;
            return Folded.Evolve(s, e);
        }, policy, Ct);
        return (loaded, folds);
    }

    private static Task<long> SnapshotVersion(TestDatabase database) =>
        database.Scalar<long>("select coalesce((select version from snapshots where stream_id = $1), 0)", Stream);
}
